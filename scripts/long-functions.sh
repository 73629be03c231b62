#!/usr/bin/env bash
# Lists every function in compiler/ and targets/ whose body is longer than 60 lines (the line of
# its opening brace to the line of its closing one) as `file:line: name (N lines)`, and fails
# when one of them is not in scripts/long-functions.allow (`<file> <name> <reason>`, one a line;
# the reason is required). An allow-list entry that no longer matches a long function fails too,
# so the list only ever names what is there. Run by scripts/test.sh after check-format.sh.
#
# The scanner is a brace counter, not a C++ parser: it drops comments, string, character and raw
# string literals and preprocessor lines, then takes a `{` at namespace or class scope whose
# header has a parameter list as a function body (lambdas and local classes count toward the
# function around them). MESHC_MAX_FUNCTION_LINES changes the limit.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(command -v /usr/bin/python3 || command -v python3 || true)
[ -n "$python" ] || { echo "long-functions: python3 is not installed"; exit 1; }
scanner=$(cat <<'PY'
import re, sys

limit, allow_path = int(sys.argv[1]), sys.argv[2]
files = [f for f in sys.stdin.read().split("\0") if f]

def blank_literals(src):
    """The source with comments, literals and preprocessor lines replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(src)
    line_start = True
    while i < n:
        c = src[i]
        if line_start and c == "#":
            # A preprocessor line, with its backslash continuations.
            j = i
            while j < n and not (src[j] == "\n" and src[j - 1] != "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j])); i = j; continue
        if c == "\n":
            line_start = True; out.append(c); i += 1; continue
        if not c.isspace():
            line_start = False
        if src.startswith("//", i):
            j = src.find("\n", i); j = n if j < 0 else j
            out.append(" " * (j - i)); i = j; continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2); j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j])); i = j; continue
        m = re.match(r'(?:u8|u|U|L)?R"([^ ()\\\t\n]{0,16})\(', src[i:i + 24])
        if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            end = src.find(")" + m.group(1) + '"', i + m.end())
            end = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", src[i + 2:end])); i = end; continue
        if c in "\"'":
            if c == "'" and i > 0 and src[i - 1].isalnum():  # digit separator: 1'000
                out.append(" "); i += 1; continue
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + c); i = min(j + 1, n); continue
        out.append(c); i += 1
    return "".join(out)

KEYWORD_BLOCK = re.compile(r"^(?:typedef\s+)?(?:class|struct|union|enum)\b")
TEMPLATE = re.compile(r"^template\s*<")

def strip_template(h):
    h = h.strip()
    while TEMPLATE.match(h):
        depth, k = 0, h.index("<")
        for k in range(k, len(h)):
            depth += {"<": 1, ">": -1}.get(h[k], 0)
            if depth == 0:
                break
        h = h[k + 1:].strip()
    return h

def classify(header):
    """'namespace', 'class', 'function' or 'other' for the block a header opens."""
    h = strip_template(" ".join(header.split()))
    if re.match(r"^(?:inline\s+)?namespace\b", h) or re.match(r'^extern\s*""$', h):
        return "namespace"
    if KEYWORD_BLOCK.match(h):
        return "class"
    if "(" not in h:
        return "other"
    before = h[:h.index("(")]
    if re.search(r"\]\s*$", before) or re.search(r"\]\s*\(", h):
        return "function"  # a lambda at namespace scope
    if "=" in before and "operator" not in before:
        return "other"  # an initializer
    if re.match(r"^(?:if|for|while|switch|catch|do|else)\b", h):
        return "other"
    return "function"

def name_of(header):
    h = strip_template(" ".join(header.split()))
    m = re.search(r"(operator\s*(?:\(\)|[^\s(]+)|[~\w:]+)\s*\(", h)
    return m.group(1).replace(" ", "") if m else "<lambda>"

def scan(path):
    src = open(path, encoding="utf-8", errors="replace").read()
    text = blank_literals(src)
    found = []
    scopes = []  # per open brace: [kind, start line, name]
    header, header_line = "", None
    init_list = 0  # depth of brace-initialisers inside a constructor's member-init list
    line = 1
    for idx, c in enumerate(text):
        if c == "\n":
            line += 1
        in_function = any(s[0] in ("function", "other-in-function") for s in scopes)
        if in_function:
            if c == "{":
                scopes.append(["other-in-function", line, ""])
            elif c == "}":
                kind, start, name = scopes.pop()
                if kind == "function" and line - start + 1 > limit:
                    found.append((path, name[1], name[0], line - start + 1))
            continue
        if c == "{":
            h = " ".join(header.split())
            # `Foo::Foo() : a_{x}, b_(y) {`: a brace after a name inside a member-init list
            # is an initializer, the body is the brace after `)` or `}`.
            if re.search(r"\)\s*(?:noexcept\s*)?:[^:]", h) and re.search(r"[\w>]\s*$", h) \
                    and not re.search(r"\b(?:const|override|final|noexcept|mutable)\s*$", h):
                init_list += 1; header += c; continue
            kind = classify(header)
            if kind == "function":
                scopes.append(["function", line, (name_of(header), header_line or line)])
            else:
                scopes.append([kind, line, ""])
            header, header_line = "", None
        elif c == "}":
            if init_list:
                init_list -= 1; header += c; continue
            if scopes:
                scopes.pop()
            header, header_line = "", None
        elif c == ";":
            header, header_line = "", None
        else:
            if header_line is None and not c.isspace():
                header_line = line
            if c == ":" and re.search(r"\b(?:public|private|protected)\s*$", header):
                header, header_line = "", None; continue
            header += c
    return found

allowed = {}
for n, raw in enumerate(open(allow_path, encoding="utf-8"), 1):
    entry = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
    if not entry:
        continue
    parts = entry.split(None, 2)
    if len(parts) < 3:
        print(f"{allow_path}:{n}: an entry is `<file> <function> <reason>`; the reason is missing")
        sys.exit(1)
    allowed[(parts[0], parts[1])] = n

long_ones, used, status = [], set(), 0
for f in files:
    long_ones += scan(f)
for path, line, name, length in long_ones:
    key = (path, name)
    if key in allowed:
        used.add(key)
        print(f"{path}:{line}: {name} ({length} lines, allow-listed)")
    else:
        print(f"{path}:{line}: {name} ({length} lines)")
        status = 1
for key, n in allowed.items():
    if key not in used:
        print(f"{allow_path}:{n}: {key[0]} {key[1]} is no longer over {limit} lines; drop the entry")
        status = 1
if status:
    print(f"long-functions: split the functions above into helpers, or allow-list them with a reason")
else:
    print(f"long-functions: no function over {limit} lines outside {allow_path}")
sys.exit(status)
PY
)
git ls-files -z 'compiler/*.cpp' 'compiler/*.h' 'targets/*.cpp' 'targets/*.h' |
  "$python" -c "$scanner" "${MESHC_MAX_FUNCTION_LINES:-60}" scripts/long-functions.allow
