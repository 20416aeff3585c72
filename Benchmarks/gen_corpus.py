#!/usr/bin/env python3
"""Deterministic synthetic corpora for compare.sh (the same kinds of lines as the Swift suite's
CorpusGenerator): log lines with timestamps, UUIDs, versions and counters, and for the dense kinds
PII or a secret on four lines in five. Nothing here is committed data: it is generated per run.

usage: gen_corpus.py {text-clean,text-dense,ndjson-dense} MEGABYTES OUT [--seed N]
"""
import argparse
import random
import string

WORDS = ["login", "ok", "request", "served", "retry", "queued", "cache", "miss", "flush", "commit",
         "order", "refund", "sync", "lease", "renewed", "timeout", "closed", "opened", "batch", "done"]
ALNUM = string.ascii_letters + string.digits


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def n(self, bound):
        return self.r.randrange(bound)

    def word(self):
        return WORDS[self.n(20)]

    def timestamp(self):
        return "2026-03-%02dT%02d:%02d:%02d.%03dZ" % (self.n(28) + 1, self.n(24), self.n(60), self.n(60), self.n(1000))

    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return "%s-%s-4%s-a%s-%s" % (h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])

    def version(self):
        return "%d.%d.%d" % (self.n(5), self.n(20), self.n(100))

    def token(self, length):
        return "".join(ALNUM[self.n(len(ALNUM))] for _ in range(length))

    def email(self):
        return "%s%d@%s" % (["ana", "bob", "li.wei", "j.smith", "ops"][self.n(5)], self.n(1000),
                            ["example.com", "mail.test", "corp.example.org"][self.n(3)])

    def phone(self):
        return "+44 20 7946 %04d" % self.n(10000) if self.n(2) == 0 else "(415) 555-%04d" % self.n(10000)

    def card(self):
        digits = [4] + [self.n(10) for _ in range(14)]
        total = 0
        for i, d in enumerate(reversed(digits)):
            v = d * 2 if i % 2 == 0 else d
            total += v - 9 if v > 9 else v
        digits.append((10 - total % 10) % 10)
        s = "".join(map(str, digits))
        return " ".join(s[i:i + 4] for i in range(0, 16, 4))

    def ipv4(self):
        return "203.0.113.%d" % (self.n(254) + 1)

    def pii(self):
        k = self.n(6)
        if k == 0:
            return self.email()
        if k == 1:
            return self.phone()
        if k == 2:
            return self.card()
        if k == 3:
            return self.ipv4()
        if k == 4:
            return "Bearer " + self.token(34)
        return "ghp_" + self.token(36)

    def log_line(self, dense):
        level = ["INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"][self.n(6)]
        component = ["auth", "billing", "http", "db", "net", "deploy", "queue"][self.n(7)]
        line = "%s %s %s: %s %s req=%s v%s count=%d took=%dms" % (
            self.timestamp(), level, component, self.word(), self.word(), self.uuid(), self.version(),
            self.n(100000), self.n(900))
        if dense and self.n(5) != 0:
            line += " " + ["user=", "to ", "via ", "from ", "key "][self.n(5)] + self.pii()
        return line + "\n"

    def event(self, dense):
        fields = [
            '"ts":%d' % (1716767009347 + self.n(10000000)),
            '"level":"%s"' % ["info", "warn", "error"][self.n(3)],
            '"msg":"%s %s %s"' % (self.word(), self.word(), self.word()),
            '"req":"%s"' % self.uuid(), '"version":"%s"' % self.version(),
            '"qty":%d.0' % self.n(50), '"price":%d.%d' % (self.n(1000), self.n(90) + 10), '"ok":true',
        ]
        if dense and self.n(5) != 0:
            k = self.n(5)
            fields.append([lambda: '"user":{"email":"%s"}' % self.email(),
                           lambda: '"note":"call %s"' % self.phone(),
                           lambda: '"password":"%s"' % self.token(12),
                           lambda: '"client":"%s"' % self.ipv4(),
                           lambda: '"card":"%s"' % self.card()][k]())
        return "{" + ",".join(fields) + "}\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=["text-clean", "text-dense", "ndjson-dense"])
    p.add_argument("megabytes", type=float)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=2026)
    a = p.parse_args()
    g = Gen(a.seed)
    target = int(a.megabytes * 1_000_000)
    line = (lambda: g.event(True)) if a.kind == "ndjson-dense" else (lambda: g.log_line(a.kind == "text-dense"))
    written = 0
    with open(a.out, "w", encoding="ascii", newline="\n") as f:
        block = []
        while written < target:
            s = line()
            block.append(s)
            written += len(s)
            if len(block) == 4096:
                f.write("".join(block))
                block.clear()
        f.write("".join(block))


if __name__ == "__main__":
    main()
