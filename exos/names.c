/*
 * names.c - the family's name table, one shared page (see names.h).
 */
#include "names.h"

#include <string.h>

#include "lock.h"
#include "peer.h"
#include "sys.h"

#define NAMES_MAGIC     0x4e414d45u     /* "NAME" */
#define NAMES_MAX       ((PAGE_SIZE - 16) / sizeof(struct name_entry))

struct name_table {
    uint32_t magic;
    volatile uint32_t lock;
    uint32_t pad[2];
    struct name_entry e[NAMES_MAX];
};
_Static_assert(sizeof(struct name_table) <= PAGE_SIZE, "one page");

#define TABLE ((struct name_table *)NAMES_VA)

/* The table's page, as mapped here (its range reads it: keep it). */
static struct shm_grant grant;
static int mapped;

int names_init(void)
{
    if (mapped)
        return 0;
    if (shm_grant_alloc(&grant, 1) < 0)
        return -E_NOMEM;
    if (shm_map(NAMES_VA, &grant, 1) < 0) {
        shm_grant_free(&grant, 1);
        return -E_NOMEM;
    }
    TABLE->magic = NAMES_MAGIC;
    mapped = 1;
    return 0;
}

int names_adopt(const struct shm_grant *g)
{
    if (mapped)
        shm_unmap(NAMES_VA);
    mapped = 0;
    grant = *g;
    if (shm_map(NAMES_VA, &grant, 1) < 0)
        return -E_NOMEM;
    if (TABLE->magic != NAMES_MAGIC) {
        shm_unmap(NAMES_VA);
        return -E_INVAL;
    }
    mapped = 1;
    return 0;
}

int names_grant(struct shm_grant *g)
{
    if (!mapped)
        return -E_NOENV;
    *g = grant;
    return 0;
}

/* An entry in use: a kind, and an owner still alive to stand behind it. */
static int live(const struct name_entry *e)
{
    return e->kind != 0 && peer_alive(e->owner);
}

static struct name_entry *find(const char *name)
{
    for (uint32_t i = 0; i < NAMES_MAX; i++)
        if (live(&TABLE->e[i]) && strncmp(TABLE->e[i].name, name, NAME_LEN) == 0)
            return &TABLE->e[i];
    return NULL;
}

int names_publish(const char *name, uint32_t kind, const struct shm_grant *g)
{
    int r = -E_NOMEM;

    if (name[0] == '\0' || strlen(name) >= NAME_LEN)
        return -E_INVAL;
    if (names_init() < 0)
        return -E_NOMEM;
    lock_acquire(&TABLE->lock);
    if (find(name) != NULL) {
        r = -E_BUSY;
    } else {
        for (uint32_t i = 0; i < NAMES_MAX; i++) {
            struct name_entry *e = &TABLE->e[i];
            if (live(e))
                continue;
            memcpy(e->name, name, strlen(name) + 1);     /* (checked: it fits) */
            e->owner = exos_envid();
            e->grant = g != NULL ? *g : (struct shm_grant){ 0, 0 };
            e->kind = kind;
            r = 0;
            break;
        }
    }
    lock_release(&TABLE->lock);
    return r;
}

int names_lookup(const char *name, uint32_t kind, struct name_entry *out)
{
    int r = -E_NOENV;

    if (!mapped)
        return r;
    lock_acquire(&TABLE->lock);
    struct name_entry *e = find(name);
    if (e != NULL && e->kind == kind) {
        *out = *e;
        r = 0;
    }
    lock_release(&TABLE->lock);
    return r;
}

int names_withdraw(const char *name)
{
    int r = -E_NOENV;

    if (!mapped)
        return r;
    lock_acquire(&TABLE->lock);
    struct name_entry *e = find(name);
    if (e != NULL && e->owner == exos_envid()) {
        e->kind = 0;
        r = 0;
    }
    lock_release(&TABLE->lock);
    return r;
}
