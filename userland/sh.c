/*
 * sh - the ExOS shell: the first program a person meets (make run).
 *
 * It reads a line from the console, with its own echo and line editing
 * (the console is a bare UART: backspace erases, Ctrl-U kills the line),
 * and runs built-in programs by name, each a process made by ExOS alone:
 *
 *   prog args...        run it and wait for it
 *   prog args... &      run it in the background
 *   a args | b args     a pipeline
 *   jobs                the background jobs still running
 *   wait                wait for every background job
 *   help                every program, one line each
 *   exit                leave (the machine shuts down when nothing runs)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "fd.h"
#include "proc.h"
#include "sys.h"

#define LINE_MAX_LEN    200
#define MAX_ARGS        16
#define MAX_JOBS        8

struct job {
    int pid;
    char cmd[64];
};
static struct job jobs[MAX_JOBS];

static int sh_getc(void)
{
    int32_t c;

    while ((c = sys_cgetc()) == -E_AGAIN)
        sys_yield(-1);          /* nothing typed: let others run */
    return c;
}

static void put(const char *s)
{
    fputs(s, stdout);
    fflush(stdout);
}

/*
 * Reads one line into buf, echoing and editing.  Returns its length, or
 * -1 if it was too long (the rest of it is read and thrown away).
 */
static int read_line(char *buf)
{
    int n = 0, too_long = 0;

    for (;;) {
        int c = sh_getc();
        if (c == '\r' || c == '\n') {
            put("\n");
            buf[n] = '\0';
            return too_long ? -1 : n;
        }
        if (c == 0x7f || c == '\b') {           /* backspace / delete */
            if (n > 0) {
                n--;
                put("\b \b");
            }
        } else if (c == 0x15) {                 /* Ctrl-U: kill the line */
            while (n > 0) {
                n--;
                put("\b \b");
            }
        } else if (c >= ' ' && c < 0x7f) {
            if (n < LINE_MAX_LEN) {
                buf[n++] = (char)c;
                char e[2] = { (char)c, 0 };
                put(e);
            } else {
                too_long = 1;
            }
        }
    }
}

/* Splits line into words in place; returns how many. */
static int split(char *line, char **argv, int max)
{
    int argc = 0;

    for (char *p = strtok(line, " \t"); p != NULL; p = strtok(NULL, " \t")) {
        if (argc == max - 1)
            return -1;
        argv[argc++] = p;
    }
    argv[argc] = NULL;
    return argc;
}

static void help(void)
{
    printf("built-in commands: help, jobs, wait, exit; 'prog args &' runs in the background,\n"
           "'a | b' pipes a into b.  Programs:\n");
    for (uint32_t i = 0; i < AEGIS_EXPOSED->nimages; i++)
        printf("  %-14s %s\n", (const char *)AEGIS_EXPOSED->images[i].name,
               (const char *)AEGIS_EXPOSED->images[i].desc);
}

static void report(const char *what, int pid, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && what == NULL)
        return;
    printf("%s%s[%d] %s %d\n", what ? what : "", what ? " " : "", pid,
           WIFEXITED(status) ? "exit" : "killed by signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* Reports background jobs that have ended. */
static void reap_jobs(void)
{
    for (int j = 0; j < MAX_JOBS; j++) {
        int status;
        if (jobs[j].pid > 0 && exos_wait(jobs[j].pid, &status, 1) == jobs[j].pid) {
            printf("[%d] done: %s (", jobs[j].pid, jobs[j].cmd);
            printf(WIFEXITED(status) ? "exit %d)\n" : "signal %d)\n",
                   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            jobs[j].pid = 0;
        }
    }
}

static void list_jobs(void)
{
    for (int j = 0; j < MAX_JOBS; j++)
        if (jobs[j].pid > 0)
            printf("[%d] running: %s\n", jobs[j].pid, jobs[j].cmd);
}

static void wait_jobs(void)
{
    for (int j = 0; j < MAX_JOBS; j++)
        if (jobs[j].pid > 0) {
            int status;
            exos_wait(jobs[j].pid, &status, 0);
            printf("[%d] done: %s\n", jobs[j].pid, jobs[j].cmd);
            jobs[j].pid = 0;
        }
}

/* Starts argv[0]; returns its pid, or < 0 with a message printed. */
static int sh_start(char **argv)
{
    if (exos_image(argv[0]) == NULL) {
        printf("sh: %s: no such program (try help)\n", argv[0]);
        return -1;
    }
    int pid = exos_spawn(argv[0], argv);
    if (pid < 0)
        printf("sh: %s: cannot start it (error %d)\n", argv[0], pid);
    return pid;
}

#define MAX_STAGES 4

/*
 * a | b | ...: a pipe between each two, made close-on-exec so that only
 * the ends handed over explicitly (fd_spawn's in and out) reach each
 * program; our own copies are closed as soon as their program has them,
 * so that end of file and broken pipes work as on Unix.
 */
static void sh_pipeline(char *line)
{
    char *stage[MAX_STAGES + 1], *argv[MAX_STAGES][MAX_ARGS];
    int n = 0, pids[MAX_STAGES];

    for (char *s = strtok(line, "|"); s != NULL; s = strtok(NULL, "|")) {
        if (n == MAX_STAGES) {
            printf("sh: at most %d programs in a pipeline\n", MAX_STAGES);
            return;
        }
        stage[n++] = s;
    }
    for (int i = 0; i < n; i++) {       /* check them all before starting any */
        int argc = 0;
        for (char *w = strtok(stage[i], " \t"); w != NULL && argc < MAX_ARGS - 1;
             w = strtok(NULL, " \t"))
            argv[i][argc++] = w;
        argv[i][argc] = NULL;
        if (argc == 0) {
            printf("sh: an empty command in a pipeline\n");
            return;
        }
        if (exos_image(argv[i][0]) == NULL) {
            printf("sh: %s: no such program (try help)\n", argv[i][0]);
            return;
        }
    }
    int in = 0;
    for (int i = 0; i < n; i++) {
        int p[2] = { -1, 1 };
        if (i < n - 1 && pipe2(p, O_CLOEXEC) < 0) {
            printf("sh: no pipe\n");
            n = i;
            break;
        }
        pids[i] = fd_spawn(argv[i][0], argv[i], in, i < n - 1 ? p[1] : 1);
        if (pids[i] < 0)
            printf("sh: %s: cannot start it (error %d)\n", argv[i][0], pids[i]);
        if (in != 0)
            close(in);                  /* the programs have their ends now */
        if (i < n - 1)
            close(p[1]);
        in = p[0];
    }
    for (int i = 0; i < n; i++) {
        int status;
        if (pids[i] > 0 && exos_wait(pids[i], &status, 0) == pids[i])
            report(NULL, pids[i], status);
    }
}

static void run(char *line)
{
    char copy[LINE_MAX_LEN + 1], *argv[MAX_ARGS];
    size_t len = strlen(line);
    int background = 0;

    while (len > 0 && line[len - 1] == ' ')
        line[--len] = '\0';
    if (len > 0 && line[len - 1] == '&') {
        background = 1;
        line[--len] = '\0';
        while (len > 0 && line[len - 1] == ' ')
            line[--len] = '\0';
    }
    if (strchr(line, '|') != NULL) {
        if (background)
            printf("sh: a pipeline runs in the foreground\n");
        sh_pipeline(line);
        return;
    }
    strcpy(copy, line);
    int argc = split(line, argv, MAX_ARGS);
    if (argc < 0) {
        printf("sh: too many arguments (at most %d)\n", MAX_ARGS - 1);
        return;
    }
    if (argc == 0)
        return;
    if (strcmp(argv[0], "help") == 0)
        help();
    else if (strcmp(argv[0], "jobs") == 0)
        list_jobs();
    else if (strcmp(argv[0], "wait") == 0)
        wait_jobs();
    else {
        int pid = sh_start(argv), status;
        if (pid < 0)
            return;
        if (!background) {
            exos_wait(pid, &status, 0);
            report(NULL, pid, status);
            return;
        }
        for (int j = 0; j < MAX_JOBS; j++)
            if (jobs[j].pid == 0) {
                jobs[j].pid = pid;
                snprintf(jobs[j].cmd, sizeof jobs[j].cmd, "%s", copy);
                printf("[%d] %s\n", pid, copy);
                return;
            }
        printf("sh: too many jobs; waiting for this one\n");
        exos_wait(pid, &status, 0);
    }
}

int main(void)
{
    char line[LINE_MAX_LEN + 1];

    printf("ExOS shell on the Aegis exokernel.  Type help for the programs.\n");
    for (;;) {
        reap_jobs();
        put("$ ");
        int n = read_line(line);
        if (n < 0) {
            printf("sh: line too long (at most %d characters)\n", LINE_MAX_LEN);
            continue;
        }
        if (strcmp(line, "exit") == 0)
            break;
        run(line);
    }
    wait_jobs();
    return 0;
}
