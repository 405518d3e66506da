#!/usr/bin/env python3
"""Lists the Rust functions longer than N lines (default 80) in app/src and server/src, tests excluded, the longest
first, and counts them (the same rule as `app/src/house.rs`, which fails on any over 120). Usage:
python3 scripts/function-lengths.py [N]"""
import os, re, sys
limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
roots = sys.argv[2:] or ['app/src', 'server/src']
fn_re = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)')
out = []
for root in roots:
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith('.rs') or f == 'house.rs': continue
            p = os.path.join(d, f)
            lines = open(p, encoding='utf-8').read().split('\n')
            # cut tests
            for i, l in enumerate(lines):
                if l.strip() == '#[cfg(test)]' and i + 1 < len(lines) and lines[i+1].lstrip().startswith('mod '):
                    lines = lines[:i]; break
            i = 0
            while i < len(lines):
                m = fn_re.match(lines[i])
                if m and not lines[i].rstrip().endswith(';'):
                    depth = 0; started = False; j = i
                    while j < len(lines):
                        code = re.sub(r'"(\\.|[^"\\])*"', '""', lines[j].split('//')[0])
                        depth += code.count('{') - code.count('}')
                        if '{' in code: started = True
                        if started and depth <= 0: break
                        if not started and code.rstrip().endswith(';'): break
                        j += 1
                    n = j - i + 1
                    if n > limit: out.append((n, f'{p}:{i+1}', m.group(5)))
                    i = j + 1 if started else i + 1
                else:
                    i += 1
for n, where, name in sorted(out, reverse=True):
    print(f'{n:4d} {where} {name}')
print(f'{len(out)} functions over {limit} lines', file=sys.stderr)
