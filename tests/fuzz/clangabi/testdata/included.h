/* Included by cases.h: functions declared here are not in the main file, so
 * gotramp-clangabi must not report them. */
#pragma once
int not_in_main_file(int a);
