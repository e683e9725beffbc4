#!/usr/bin/env python3
"""The one status list is `cmpay_status` in crates/cmpay-ffi/include/cmpay.h
(generated from crates/cmpay-ffi/src/status.rs). This checks every other
place that lists the statuses against it, and says which file lacks or
differs in which entry:

- the bindings' status tables (PHP Status.php and the enum of PHP's FFI
  declarations resources/cmpay.h, Python errors.py, Java Status.java,
  .NET Status.cs);
- the README's table of error codes (one row per number);
- each binding's exception mapping: every status but CMPAY_OK mapped
  explicitly, OK never, and the four bindings agreeing on the exception
  (by its shared stem: InvalidInput for InvalidInputError,
  CmpayInvalidInputException...), with the stems the README lists;
- the documentation of each mapping: the hierarchy in the base exception's
  doc comment and the exception table of the binding's README list, for
  each exception, the statuses that map to it.

It also checks the one list of message kinds, the strings the C ABI takes
(`MessageKind::ALL` in crates/cmpay/src/fields.rs, written into the
header's preamble by build.rs and held equal to it by a test in
cmpay-ffi): each binding's kind constants (PHP MessageKind.php, Python
merchant.py, Java MessageKind.java, .NET Status.cs) name exactly those.

Adding a status: its entry in status.rs (and ErrorCode if it is a core
error), a build, then what this script names.

    scripts/check-statuses.py            check (exit 1 on any difference)
    scripts/check-statuses.py --c-names  print the C test's table of names
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "crates/cmpay-ffi/include/cmpay.h"


class Checker:
    def __init__(self):
        self.errors = []

    def error(self, path, line, message):
        where = f"{path}:{line}" if line else str(path)
        self.errors.append(f"{where}: {message}")


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def header_statuses():
    """[(name, number, first sentence of its doc)] in the header's order."""
    text = read(HEADER)
    m = re.search(r"typedef enum \{(.*?)\} cmpay_status;", text, re.S)
    if not m:
        sys.exit(f"{HEADER}: no `typedef enum {{ ... }} cmpay_status;` found")
    out = []
    for doc, name, number in re.findall(r"(?:/\*\*(.*?)\*/\s*)?(CMPAY_\w+)\s*=\s*(-?\d+)", m.group(1), re.S):
        doc = " ".join(re.sub(r"^\s*\*\s?", "", line) for line in doc.splitlines()).strip()
        doc = " ".join(doc.split())
        out.append((name, int(number), doc))
    if not out:
        sys.exit(f"{HEADER}: cmpay_status has no entries")
    return out


def upper(name):
    """CMPAY_BUFFER_TOO_SMALL -> BUFFER_TOO_SMALL (PHP, Python, Java)."""
    return name[len("CMPAY_"):]


def pascal(name):
    """CMPAY_BUFFER_TOO_SMALL -> BufferTooSmall, CMPAY_INVALID_UTF8 -> InvalidUtf8 (.NET)."""
    return "".join(w.capitalize() for w in upper(name).split("_"))


# --- the status tables ------------------------------------------------------

def entries(text, pattern, start=0, end=None):
    """{spelling: (number, line)} of every match of pattern (groups: name, number)."""
    found = {}
    for m in re.compile(pattern, re.M).finditer(text, start, len(text) if end is None else end):
        found.setdefault(m.group(1), (int(m.group(2)), line_of(text, m.start())))
    return found


def block(c, path, text, opening, closing):
    """The (start, end) offsets of the text between opening and the first closing after it."""
    m = re.search(opening, text, re.M)
    if not m:
        c.error(path, 0, f"no status table found (expected {opening!r})")
        return None
    e = re.compile(closing, re.M).search(text, m.end())
    return m.end(), (e.start() if e else len(text))


def compare_table(c, path, found, statuses, spell, extra_allowed=()):
    by_spelling = {}
    for name, number, _ in statuses:
        by_spelling[spell(name)] = (name, number)
        if spell(name) not in found:
            c.error(path, 0, f"missing {spell(name)} = {number} ({name} in {HEADER})")
        elif found[spell(name)][0] != number:
            got, line = found[spell(name)]
            c.error(path, line, f"{spell(name)} is {got}, but {name} is {number} in {HEADER}")
    for spelling, (number, line) in found.items():
        if spelling not in by_spelling and spelling not in extra_allowed:
            c.error(path, line, f"{spelling} = {number} is not a status of {HEADER}")


TABLES = [
    # (file, opening of the table, its end, entry pattern, spelling, extra entries allowed)
    ("bindings/php/resources/cmpay.h", r"^typedef enum \{", r"\}\s*cmpay_status;", r"^\s*(CMPAY_\w+)\s*=\s*(-?\d+)",
     lambda n: n, ()),
    ("bindings/php/src/Status.php", r"^final class Status\b", r"^\}", r"^\s*public const (\w+)\s*=\s*(-?\d+);",
     upper, ()),
    ("bindings/python/cmpay/errors.py", r"^class Status\(enum\.IntEnum\):", r"^\S", r"^    (\w+)\s*=\s*(-?\d+)\s*$",
     upper, ()),
    ("bindings/java/src/main/java/io/cmpay/Status.java", r"^public enum Status \{", r";", r"\b([A-Z][A-Z0-9_]*)\((-?\d+)\)",
     upper, ("UNKNOWN",)),
    ("bindings/dotnet/src/Status.cs", r"public enum Status\s*\{", r"\}", r"^\s*(\w+)\s*=\s*(-?\d+),?",
     pascal, ()),
]


def check_tables(c, statuses):
    for path, opening, closing, pattern, spell, extra in TABLES:
        text = read(path)
        span = block(c, path, text, opening, closing)
        if span:
            compare_table(c, path, entries(text, pattern, *span), statuses, spell, extra)


def check_readme_codes(c, statuses):
    path = "README.md"
    text = read(path)
    span = block(c, path, text, r"^## Error codes\s*$", r"^## ")
    if not span:
        return
    rows = {}
    for m in re.compile(r"^\|\s*(\d+)\s*\|\s*\S.*\|\s*$", re.M).finditer(text, *span):
        if m.group(1) in rows:
            c.error(path, line_of(text, m.start()), f"row {m.group(1)} appears twice")
        rows.setdefault(m.group(1), (None, line_of(text, m.start())))
    numbers = {number: name for name, number, _ in statuses}
    for name, number, doc in statuses:
        if str(number) not in rows:
            c.error(path, 0, f"the error code table lacks {number} ({name}: {doc.split('. ')[0]})")
    for number, (_, line) in rows.items():
        if int(number) not in numbers:
            c.error(path, line, f"row {number} is not a status of {HEADER}")


# --- the exception mappings -------------------------------------------------

def stem(cls):
    """CmpayNetworkTimeoutException, NetworkTimeoutException, NetworkTimeoutError -> NetworkTimeout."""
    return re.sub(r"(Exception|Error)$", "", re.sub(r"^Cmpay(?=[A-Z])", "", cls))


def switch_mapping(text, start, end, case, spell_back):
    """{status name: (class, line)} from a switch whose cases fall through to `return new Class(`."""
    out, pending = {}, []
    for m in re.compile(rf"{case}|\bdefault\s*:|return new (\w+)\(").finditer(text, start, end):
        if m.group(0).startswith("return new"):
            for name, line in pending:
                out[name] = (m.group(m.lastindex), line)
            pending = []
        elif m.group(0).startswith("default"):
            continue
        else:
            pending.append((spell_back(m.group(1)), line_of(text, m.start())))
    return out


def dict_mapping(text, start, end, pattern, spell_back):
    return {spell_back(m.group(1)): (m.group(2), line_of(text, m.start()))
            for m in re.compile(pattern, re.M).finditer(text, start, end)}


BINDINGS = {
    # language: (file, opening, closing, reader, status spelling)
    "python": ("bindings/python/cmpay/errors.py", r"^_BY_STATUS\b.*\{", r"^\}",
               lambda t, s, e, back: dict_mapping(t, s, e, r"^\s*Status\.(\w+):\s*(\w+),", back), upper),
    "php": ("bindings/php/src/Library.php", r"private const ERRORS = \[", r"\];",
            lambda t, s, e, back: dict_mapping(t, s, e, r"^\s*Status::(\w+)\s*=>\s*(\w+)::class,", back), upper),
    "java": ("bindings/java/src/main/java/io/cmpay/CmpayException.java", r"static CmpayException of\(", r"^    \}",
             lambda t, s, e, back: switch_mapping(t, s, e, r"\bcase (\w+)\s*:", back), upper),
    "dotnet": ("bindings/dotnet/src/Exceptions.cs", r"internal static CmpayException Make\(", r"^        \}",
               lambda t, s, e, back: switch_mapping(t, s, e, r"\bcase Status\.(\w+)\s*:", back), pascal),
}

# Where each binding documents its mapping: the hierarchy in a doc comment, the README's exception table.
DOCS = {
    "python": ["bindings/python/cmpay/errors.py", "bindings/python/README.md"],
    "php": ["bindings/php/src/Exception/CmpayException.php", "bindings/php/README.md"],
    "java": ["bindings/java/src/main/java/io/cmpay/CmpayException.java", "bindings/java/README.md"],
    "dotnet": ["bindings/dotnet/src/Exceptions.cs", "bindings/dotnet/README.md"],
}


def check_mappings(c, statuses):
    names = [name for name, _, _ in statuses]
    stems = {}  # status name -> {language: (stem, path, line)}
    mappings = {}
    for language, (path, opening, closing, reader, spell) in BINDINGS.items():
        text = read(path)
        span = block(c, path, text, opening, closing)
        if not span:
            continue
        back = {spell(n): n for n in names}
        unknown = []
        mapping = reader(text, *span, lambda s: back.get(s, f"?{s}"))
        for name, (cls, line) in mapping.items():
            if name.startswith("?"):
                unknown.append((name[1:], line))
            elif name == "CMPAY_OK":
                c.error(path, line, f"{spell(name)} is mapped to {cls}: success raises nothing")
            else:
                stems.setdefault(name, {})[language] = (stem(cls), path, line)
        for spelling, line in unknown:
            c.error(path, line, f"the exception mapping names {spelling}, not a status of {HEADER}")
        for name in names:
            if name != "CMPAY_OK" and name not in mapping:
                c.error(path, 0, f"the exception mapping lacks {spell(name)} ({name}): map it explicitly")
        mappings[language] = {n: cls for n, (cls, _) in mapping.items() if not n.startswith("?")}
    for name in names:
        seen = stems.get(name, {})
        if len({s for s, _, _ in seen.values()}) > 1:
            said = ", ".join(f"{lang} {s} ({p}:{l})" for lang, (s, p, l) in sorted(seen.items()))
            c.error(HEADER, 0, f"the bindings map {name} to different exceptions: {said}")
    check_readme_stems(c, {s for by in stems.values() for s, _, _ in by.values()})
    return mappings


def check_readme_stems(c, mapped):
    path = "README.md"
    text = read(path)
    m = re.search(r"one list of stems \(([^)]*)\)", text)
    if not m:
        c.error(path, 0, "no 'one list of stems (...)' found")
        return
    listed = {s.strip() for s in m.group(1).replace("\n", " ").split(",")}
    for s in sorted(mapped - listed):
        c.error(path, line_of(text, m.start()), f"the list of stems lacks {s}, which a binding maps a status to")


def doc_mentions(text, classes, status_words, table):
    """{class: {status spelling: line}} as a hierarchy or README table lists them:
    every status word after a class name belongs to it, up to the next class."""
    out = {}
    class_re = re.compile(r"`?\b(" + "|".join(sorted(map(re.escape, classes), key=len, reverse=True)) + r")\b`?")
    word_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, status_words), key=len, reverse=True)) + r")\b")
    for number, line in enumerate(text.splitlines(), 1):
        if table:
            cells = line.split("|")
            if not line.startswith("|") or len(cells) < 4:
                continue
            first = class_re.search(cells[1])
            if not first:
                continue
            rest = [(first.group(1), cells[2])]
        else:
            if not re.search(r"[├└]──", line):
                continue
            first = class_re.search(line)
            if not first:
                continue
            rest = [(first.group(1), line[first.end():])]
        cls, cell = rest[0]
        out.setdefault(cls, {})
        pos = 0
        for m in class_re.finditer(cell):
            for w in word_re.findall(cell, pos, m.start()):
                out[cls][w] = number
            cls, pos = m.group(1), m.end()
            out.setdefault(cls, {})
        for w in word_re.findall(cell, pos):
            out[cls][w] = number
    return out


def check_docs(c, statuses, mappings):
    names = [name for name, _, _ in statuses]
    for language, paths in DOCS.items():
        if language not in mappings:
            continue
        spell = BINDINGS[language][4]
        mapping = mappings[language]
        expected = {}
        for name, cls in mapping.items():
            expected.setdefault(cls, set()).add(spell(name))
        words = {spell(n) for n in names}
        for path in paths:
            text = read(path)
            table = path.endswith(".md")
            listed = doc_mentions(text, set(expected) | {"LibraryNotFound" + ("Error" if language == "python" else "Exception"),
                                                         ("Cmpay" if language in ("java", "dotnet") else "") + "LibraryNotFoundException"},
                                  words, table)
            what = "the exception table" if table else "the exception hierarchy"
            if not any(listed.values()):
                c.error(path, 0, f"{what} was not found")
                continue
            for cls, want in sorted(expected.items()):
                got = listed.get(cls, {})
                if cls not in listed:
                    c.error(path, 0, f"{what} lacks {cls} ({', '.join(sorted(want))})")
                    continue
                for w in sorted(want - set(got)):
                    c.error(path, 0, f"{what} does not list {w} under {cls} (the mapping gives it {cls})")
                for w in sorted(set(got) - want):
                    c.error(path, got[w], f"{what} lists {w} under {cls}, but the mapping gives it "
                            f"{next((k for k, v in expected.items() if w in v), 'no exception')}")
            for cls, got in listed.items():
                if cls not in expected:
                    for w, line in got.items():
                        c.error(path, line, f"{what} lists {w} under {cls}, which the mapping never raises for it")


def c_names(statuses):
    print(f"/* Generated from {HEADER} by scripts/check-statuses.py --c-names. */")
    for name, _, _ in statuses:
        print(f'X({name}, "{name}")')


KIND_TABLES = (
    ("bindings/php/src/MessageKind.php", r"^final class MessageKind\b", r"^\}", r"public const \w+\s*=\s*'([a-z-]+)';"),
    ("bindings/python/cmpay/merchant.py", r"^class MessageKind\(", r"^    def ", r'^    \w+\s*=\s*"([a-z-]+)"\s*$'),
    ("bindings/java/src/main/java/io/cmpay/MessageKind.java", r"\bclass MessageKind\b", r"^\}", r'public static final String \w+\s*=\s*"([a-z-]+)";'),
    ("bindings/dotnet/src/Status.cs", r"public static class MessageKind\b", r"^    \}", r'public const string \w+\s*=\s*"([a-z-]+)";'),
)


def header_kinds():
    text = read(HEADER)
    m = re.search(r"Message kinds are the strings (.*?)\.\n", text, re.S)
    if not m:
        sys.exit(f"check-statuses: {HEADER} has no list of message kinds in its preamble")
    return re.findall(r'"([a-z-]+)"', m.group(1))


def check_kinds(c, kinds):
    for path, opening, closing, pattern in KIND_TABLES:
        text = read(path)
        start = re.search(opening, text, re.M)
        if not start:
            c.error(path, None, f"no block matching {opening!r}")
            continue
        end = re.search(closing, text[start.end():], re.M)
        body = text[start.end(): start.end() + end.start()] if end else text[start.end():]
        found = re.findall(pattern, body, re.M)
        for k in kinds:
            if k not in found:
                c.error(path, line_of(text, start.start()), f"lacks the message kind {k!r} (in {HEADER})")
        for k in found:
            if k not in kinds:
                c.error(path, line_of(text, start.start()), f"names {k!r}, which is no message kind of {HEADER}")


def main():
    statuses = header_statuses()
    if sys.argv[1:] == ["--c-names"]:
        c_names(statuses)
        return 0
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    c = Checker()
    check_tables(c, statuses)
    check_readme_codes(c, statuses)
    mappings = check_mappings(c, statuses)
    check_docs(c, statuses, mappings)
    kinds = header_kinds()
    check_kinds(c, kinds)
    if c.errors:
        for e in c.errors:
            print(f"check-statuses: {e}", file=sys.stderr)
        print(f"check-statuses: {len(c.errors)} difference(s) from cmpay_status in {HEADER}", file=sys.stderr)
        return 1
    print(f"check-statuses: {len(statuses)} statuses of {HEADER}: every table, mapping and exception list agrees; the {len(kinds)} message kinds too")
    return 0


if __name__ == "__main__":
    sys.exit(main())
