/*
 * bind.h - secure bindings: the one place where a virtual page of an
 * environment is tied to a physical page, after checking that it may be.
 *
 * The check happens here, once, when the binding is made: the page must
 * exist, the capability must grant the rights asked for, and the virtual
 * address must be the environment's own (below USER_TOP, outside the
 * exposed window).  The binding then goes into the STLB (and the hardware
 * TLB), where every later access uses it at hardware speed, unchecked.
 *
 * Breaking bindings is the other half: when a page is freed every binding to
 * it, by anyone, in the STLB, the hardware TLB and guaranteed mappings, is
 * removed before the page can be handed out again.
 */
#ifndef AEGIS_BIND_H
#define AEGIS_BIND_H

#include <stdint.h>

#include "env.h"

/* Is va a user address an environment may bind?  0, -E_KADDR (kernel
 * space), -E_INVAL (the exposed window) or -E_ALIGN (not page-aligned). */
int bind_check_va(uint32_t va);

/* The EntryLo for page ppn with TLBF_xxx flags. */
uint32_t bind_entrylo(uint32_t ppn, uint32_t flags);

/* Checks, then binds va -> ppn in e's address space.  Returns 0 or a
 * negative error; *lo (if not NULL) gets the EntryLo installed. */
int bind_page(struct env *e, uint32_t va, uint32_t ppn, uint32_t cap,
              uint32_t flags, uint32_t *lo);

/* Puts an already-checked binding in the STLB and, if present or if e is
 * running, the hardware TLB. */
void bind_install(struct env *e, uint32_t va, uint32_t lo);

/* Removes e's binding of va (STLB and TLB).  1 if there was one. */
int bind_remove(struct env *e, uint32_t va);

/* Breaks every binding to ppn, then frees it (owner must own it). */
int bind_free_page(uint32_t ppn, uint16_t owner);

/* Frees every environment-owned page whose bit is set in marks (a bitmap
 * of phys.npages bits, which it clears), breaking all bindings to them in
 * one sweep of the STLB: the cost of freeing many pages is one sweep, not
 * one per page.  Returns how many were freed. */
int bind_free_marked(uint32_t *marks);
/* Breaks every binding to ppn (STLB, TLB, guaranteed mappings, frames). */
void bind_break_all(uint32_t ppn);

/* The same for every page doomed(ppn, arg) names, in one sweep of the STLB
 * (a death frees all its pages at once). */
void bind_break_if(int (*doomed)(uint32_t ppn, void *arg), void *arg);

/*
 * Translates e's va through the bindings e has made (STLB, hardware TLB,
 * guaranteed mappings) into a KSEG0 pointer.  write asks for a writable
 * binding.  Returns 0, -E_KADDR or -E_FAULT (no such binding, or read-only
 * when write was asked).
 */
int bind_translate(struct env *e, uint32_t va, int write, void **kva);

#endif /* AEGIS_BIND_H */
