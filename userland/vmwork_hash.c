/*
 * vmwork_hash - vmwork, linked with the hashed page table.
 *
 * exos-pagetable: hash
 */
#include "vmwork.c"
