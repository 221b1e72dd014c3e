#!/usr/bin/python3
"""Oracle for test_pre_tokenizer_oracle: splits strings with the gpt-4o (o200k) and tekken
pre-tokenizer regexes, exactly as written in the models' tokenizer.json, through the `regex`
module, which knows \\p{Lu}, \\p{Lt}, \\p{Lm}… and scoped (?i:…) as the models' tokenizers do.

stdin:   the corpus, one string a line, hex-encoded UTF-8 (it may hold invalid bytes).
argv[1]: how many random strings to add; argv[2]: their seed.
stdout:  JSON, a list of {"text": hex, "<pattern name>": [hex piece, ...], ...}, the pieces being
         the matches and any gaps between them, in order (Hugging Face's "isolated" split).

Invalid UTF-8 bytes travel as surrogate escapes (U+DC80..U+DCFF, category Cs): outside \\s,
\\p{L} and \\p{N}, which is how Parlo classes an invalid byte.
"""
import json
import random
import sys
import unicodedata

import regex

CONTRACTIONS = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
UPPER = r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]"
LOWER = r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]"
LEAD = r"[^\r\n\p{L}\p{N}]?"
TAIL = r" ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"

PATTERNS = {
    'gpt-4o': regex.compile(LEAD + UPPER + '*' + LOWER + '+' + CONTRACTIONS + '|'
                            + LEAD + UPPER + '+' + LOWER + '*' + CONTRACTIONS + '|'
                            + r"\p{N}{1,3}|" + TAIL),
    'tekken': regex.compile(LEAD + UPPER + '*' + LOWER + '+|'
                            + LEAD + UPPER + '+' + LOWER + '*|'
                            + r"\p{N}|" + TAIL),
}

# The regexes as published, to be sure the pieces above put them together unchanged.
PUBLISHED = {
    'gpt-4o': r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    'tekken': r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
}

# Short pieces that exercise the regexes' corners: contractions in both cases (and U+017F, which
# (?i) folds to 's'), line breaks and slashes after punctuation, marks, titlecase, odd spaces.
FRAGMENTS = [' ', ' ', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', "'", '/', '//', "'s", "'S", "'t", "'T",
             "'re", "'RE", "'Re", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'\u017f",
             '\u01c5', '\u00df', '\u0301', '\u0301\u0302', '\u20dd', '\u00a0', '\u3000', '\x0b', '\x0c',
             '\x85', '\u2028', '\u200b', '\u200d', '!?', '...', '$', '(', ')', '-', '_', '"', '\U0001F600',
             '\U0001F44D\U0001F3FD', '2024', '1234567', '\u0663\u0664', '\u00bd', '\u2167']
WORDS = ['hello', 'Hello', 'HELLO', 'HeLLo', 'McDonald', 'iPhone', 'CamelCaseWord', 'ALLCAPS', 'x',
         'I', 'DON', 'don', 'na\u00efve', 'Na\u0308ive', '\u0395\u03bb\u03bb\u03ac\u03b4\u03b1',
         '\u041c\u043e\u0441\u043a\u0432\u0430', '\u041c\u041e\u0421\u041a\u0412\u0410', '\u4e2d\u6587',
         '\u3072\u3089\u304c\u306a', '\u0627\u0644\u0639\u0631\u0628\u064a\u0629', '\u0939\u093f\u0928\u094d\u0926\u0940']
CATEGORIES = ['Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Ps', 'Pe',
              'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co']


def category_pools():
    pools = {c: [] for c in CATEGORIES}
    for cp in range(0x110000):
        c = unicodedata.category(chr(cp))
        if c in pools:
            pools[c].append(cp)
    return pools


def random_string(rng, pools):
    parts = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.3:
            parts.append(rng.choice(FRAGMENTS))
        elif kind < 0.5:
            parts.append(rng.choice(WORDS))
        elif kind < 0.9:
            # a run of one category, so words of rare scripts and long mark or digit runs occur
            pool = pools[rng.choice(CATEGORIES)]
            parts.append(''.join(chr(rng.choice(pool)) for _ in range(rng.randint(1, 4))))
        else:
            parts.append(chr(0xDC00 + rng.randint(0x80, 0xFF)))  # an invalid byte
    return ''.join(parts)


def encodes_back(s):
    # Escaped bytes next to each other may spell valid UTF-8; such a string would not reach
    # Parlo as the same code points, so it is drawn again.
    return s.encode('utf-8', 'surrogateescape').decode('utf-8', 'surrogateescape') == s


def split(pattern, text):
    pieces, last = [], 0
    for m in pattern.finditer(text):
        if m.start() > last:
            pieces.append(text[last:m.start()])
        pieces.append(m.group())
        last = m.end()
    if last < len(text):
        pieces.append(text[last:])
    return pieces


def to_hex(s):
    return s.encode('utf-8', 'surrogateescape').hex()


def main():
    for name, pattern in PATTERNS.items():
        if pattern.pattern != PUBLISHED[name]:
            sys.exit('the %s pattern differs from the published one' % name)
    texts = [bytes.fromhex(line.strip()).decode('utf-8', 'surrogateescape') for line in sys.stdin if line.strip()]
    rng = random.Random(int(sys.argv[2]))
    pools = category_pools()
    wanted = len(texts) + int(sys.argv[1])
    while len(texts) < wanted:
        s = random_string(rng, pools)
        if encodes_back(s):
            texts.append(s)
    out = []
    for text in texts:
        entry = {'text': to_hex(text)}
        for name, pattern in PATTERNS.items():
            entry[name] = [to_hex(p) for p in split(pattern, text)]
        out.append(entry)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
