/*
 * t_fork_hash - t_fork, linked with the hashed page table.
 *
 * exos-pagetable: hash
 */
#include "t_fork.c"
