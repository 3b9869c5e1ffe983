/*
 * board.h - stopping the machine.
 */
#ifndef AEGIS_BOARD_H
#define AEGIS_BOARD_H

/*
 * Resets the Malta through its GORESET register.  Under QEMU's -no-reboot
 * that ends the emulator (exit status 0); test harnesses therefore read the
 * verdict from the console, never from QEMU's status.  Does not return.
 */
void board_halt(void) __attribute__((noreturn));

#endif /* AEGIS_BOARD_H */
