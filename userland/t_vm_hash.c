/*
 * t_vm_hash - t_vm, linked with the hashed page table.
 *
 * exos-pagetable: hash
 */
#include "t_vm.c"
