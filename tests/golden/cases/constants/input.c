#include "input.h"
log_level set_level(log_level l) { return l == LOG_ERROR ? log_info : LOG_ERROR; }
