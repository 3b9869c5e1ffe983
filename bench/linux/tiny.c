/*
 * tiny - the program lbench's proc_spawn starts: no C library, no start-up
 * code, one system call (exit(0)).  Built with -nostdlib -static, so its
 * exec maps one small ELF segment and runs three instructions.
 */
void __start(void) __attribute__((noreturn));
void __start(void)
{
    __asm__ volatile(".set push\n\t.set noreorder\n"
                     "\tmove $a0, $zero\n"
                     "\tli   $v0, 4001\n"   /* __NR_exit on o32 */
                     "\tsyscall\n"
                     "\t.set pop" ::: "memory");
    for (;;)
        ;
}
