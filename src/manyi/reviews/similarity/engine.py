"""Finding copied materials texts (Art. 26 剽窃): pure numpy, no Django.

The pipeline, for a corpus of documents (one materials text of one application each):

1. ``prepare``: normalise the text (NFKC one character at a time so every character keeps its
   place, letters lower-cased, whitespace, punctuation, symbols and control characters
   dropped), cut it into character n-gram shingles and hash each shingle to a stable 64-bit
   value, all vectorised. Shingles of the seed's own guidance (``boilerplate``) are dropped.
2. ``signatures``: a MinHash signature per *window* of the text (``WINDOW`` shingles, moving
   by ``STRIDE``), with ``NUM_PERM`` universal hash functions (multiply-add-shift).
   Windows rather than one signature per text make the Jaccard similarity that MinHash
   estimates behave like "a passage in common": a 200-character profile copied into a
   3,000-character text is 7 % of the long text (invisible to whole-text Jaccard) but half of
   the window that holds it.
3. ``candidate_pairs``: LSH banding (``BANDS`` bands of ``ROWS`` rows) over every window, in
   numpy (sorting band keys); the same answer as ``datasketch.MinHashLSH`` with the same
   bands, about a hundred times faster on 48,000 texts (benchmarks/similarity.py measures
   both). Buckets holding a large share of all windows are boilerplate and skipped.
4. ``match``: for each candidate pair of documents, the exact answer: the passages both
   share (runs of shared shingles merged into passages of at least ``MIN_PASSAGE``
   characters, mapped back to the original text) and the share of each text they cover.
   Shingles found in more than ``COMMON_SHARE`` of all documents (and at least
   ``COMMON_MIN_DOCS``) are boilerplate too and count for neither.

``compare`` runs the whole pipeline; signatures may be given from a cache (they depend only
on the text, the boilerplate and the constants here: ``SIGNATURE_VERSION`` names them).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

# Eight characters: a Chinese word is 1.5–2 characters, so a shingle spans four or five
# words. Shorter shingles (4–5) are shared by any two texts on the same subject (“用户满意度”,
# “售后服务体系”); longer ones (12+) break at every changed character, so a lightly edited copy
# would keep few shingles in common. Eight keeps chance matches rare while a copy with a word
# changed every twenty characters still shares more than half of its shingles.
SHINGLE = 8
NUM_PERM = 128
WINDOW = 300  # shingles per window (about 300 characters of Chinese)
STRIDE = WINDOW // 2
# 42 bands of 3 rows: a pair of windows with Jaccard similarity s becomes a candidate with
# probability 1 − (1 − s³)^42: 0.97 at s = 0.43 (a 200-character text inside a window of
# 300: some window holds at least 150 of its characters), 0.79 at 0.33 (half of two windows
# in common, the least a copied passage of 300 characters gives), 0.03 at 0.1. A longer copy
# gives several pairs of windows, each a further chance. Two rows would catch s = 0.2 too, but
# texts on the same subject collide so often that the exact check then dominates the time.
BANDS, ROWS = 42, 3
MIN_PASSAGE = 20  # characters
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 20
SIGNATURE_VERSION = f"minhash-mas-w{SHINGLE}-p{NUM_PERM}-win{WINDOW}-s{STRIDE}-v1"

_MAX32 = np.uint64(0xFFFFFFFF)
_BASE = np.uint64(0x100000001B3)  # the polynomial's base (FNV's prime: odd, well mixed)
# The permutations: multiply-add-shift, h(x) = ((a·x + b) mod 2^64) >> 32 with a odd, on the
# low 32 bits x of each shingle's hash: a universal family (Dietzfelbinger 1996) that needs
# three numpy operations and no 128-bit product. The textbook (a·x + b) mod (2^61 − 1) needs
# a·x exactly, which overflows numpy's 64 bits unless a is small, and with a small a the
# hash keeps the order of x, so every "permutation" picks the same minimum. The parameters are
# fixed, so a signature computed last year still compares with today's.
_PARAMS = np.random.Generator(np.random.PCG64(20260401))
_A = _PARAMS.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _PARAMS.integers(0, 1 << 63, size=(NUM_PERM, 1), dtype=np.uint64)
del _PARAMS


# --------------------------------------------------------------------------------------------
# Normalising and shingling


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """For every code point of the Basic Multilingual Plane: what it normalises to (one
    character, so positions map back to the original text) and whether it is kept."""
    mapped = np.arange(0x10000, dtype=np.uint32)
    keep = np.zeros(0x10000, dtype=bool)
    for cp in range(0x10000):
        char = chr(cp)
        norm = unicodedata.normalize("NFKC", char)
        if len(norm) == 1:
            char = norm.lower() if len(norm.lower()) == 1 else norm
            mapped[cp] = ord(char)
        # Letters, digits and marks carry the content; punctuation (P), symbols (S),
        # separators (Z) and control or unassigned code points (C) are formatting.
        keep[cp] = unicodedata.category(char)[0] in "LMN"
    return mapped, keep


def normalise(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The kept characters as code points, and each one's index in ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    mapped_table, keep_table = _tables()
    if not len(codes) or codes.max() < 0x10000:  # nearly always: no table-free characters
        positions = np.flatnonzero(keep_table[codes])
        return mapped_table[codes[positions]], positions
    bmp = codes < 0x10000
    safe = np.where(bmp, codes, 0)
    keep = np.where(bmp, keep_table[safe], True)
    mapped = np.where(bmp, mapped_table[safe], codes)
    positions = np.flatnonzero(keep)
    return mapped[positions], positions


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def shingle_hashes(codes: np.ndarray) -> np.ndarray:
    """The 64-bit hash of each run of SHINGLE code points (one per start position), stable
    across processes and machines: a polynomial in the code points, wrapping mod 2^64."""
    count = len(codes) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    values = codes.astype(np.uint64)
    h = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE):
            h = h * _BASE + values[offset : offset + count]
        return _mix(h)


def boilerplate_hashes(texts: Iterable[str]) -> np.ndarray:
    """The sorted shingle hashes of the seed's own guidance and titles."""
    parts = [shingle_hashes(normalise(text)[0]) for text in texts if text]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


@dataclass
class Prepared:
    """One text, normalised and shingled. ``hashes[i]`` is the shingle starting at normalised
    character ``starts[i]``; boilerplate shingles of the seed are already gone."""

    length: int  # normalised characters
    positions: np.ndarray  # normalised index -> index in the original text
    hashes: np.ndarray
    starts: np.ndarray


def prepare(text: str, boilerplate: np.ndarray) -> Prepared:
    return prepare_many([text], boilerplate)[0]


def prepare_many(
    texts: Sequence[str], boilerplate: np.ndarray, batch_chars: int = 100_000
) -> list[Prepared]:
    """``prepare`` for many texts: batches of texts are joined and worked on as one array
    (numpy's per-call cost would otherwise exceed the work on a 200-character text)."""
    out: list[Prepared] = []
    start = 0
    while start < len(texts):
        end, size = start, 0
        while end < len(texts) and (size == 0 or size + len(texts[end]) <= batch_chars):
            size += len(texts[end])
            end += 1
        out += _prepare_batch(texts[start:end], boilerplate)
        start = end
    return out


def _prepare_batch(texts: Sequence[str], boilerplate: np.ndarray) -> list[Prepared]:
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    text_starts = np.concatenate(([0], np.cumsum(lengths)))
    codes, positions = normalise("".join(texts))
    text_of = np.repeat(np.arange(len(texts)), lengths)[positions]
    norm_counts = np.bincount(text_of, minlength=len(texts))
    norm_starts = np.concatenate(([0], np.cumsum(norm_counts)))
    hashes = shingle_hashes(codes)
    # A shingle counts only when its first and last characters are in the same text.
    starts = np.arange(len(hashes), dtype=np.int64)
    valid = text_of[starts] == text_of[starts + SHINGLE - 1] if len(hashes) else starts > 0
    if len(boilerplate) and len(hashes):
        valid &= ~_member(hashes, boilerplate)
    hashes, starts = hashes[valid], starts[valid]
    shingle_text = text_of[starts]
    shingle_bounds = np.searchsorted(shingle_text, np.arange(len(texts) + 1))
    prepared = []
    for k in range(len(texts)):
        lo, hi = shingle_bounds[k], shingle_bounds[k + 1]
        n0, n1 = norm_starts[k], norm_starts[k + 1]
        prepared.append(
            Prepared(
                int(n1 - n0),
                positions[n0:n1] - text_starts[k],
                hashes[lo:hi],
                starts[lo:hi] - n0,
            )
        )
    return prepared


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin`` for a sorted set: a table of the set's top bits first (one lookup, about
    one value in sixteen passes it by chance), a binary search only for those that pass."""
    result = np.zeros(len(values), dtype=bool)
    if not len(sorted_set) or not len(values):
        return result
    bits = min(22, max(10, int(len(sorted_set)).bit_length() + 4))
    top = np.uint64(64 - bits)
    table = np.zeros(1 << bits, dtype=bool)
    table[(sorted_set >> top).astype(np.int64)] = True
    maybe = np.flatnonzero(table[(values >> top).astype(np.int64)])
    if len(maybe):
        at = np.searchsorted(sorted_set, values[maybe])
        at[at == len(sorted_set)] = 0
        result[maybe] = sorted_set[at] == values[maybe]
    return result


# --------------------------------------------------------------------------------------------
# MinHash signatures


def window_count(shingles: int) -> int:
    """Windows of a text with this many (own) shingles: 0 when it has none."""
    if shingles <= 0:
        return 0
    blocks = -(-shingles // STRIDE)
    return max(1, blocks - 1)


def signatures(prepared: Sequence[Prepared], batch: int = 4_000) -> list[np.ndarray]:
    """One ``(windows, NUM_PERM)`` uint32 array per text.

    Texts are processed in batches of about ``batch`` shingles: the permutations are applied
    to the whole batch at once (small enough to stay in the processor's cache: larger batches
    are several times slower), then ``minimum.reduceat`` takes the minimum of each block of
    STRIDE shingles, and a window is two neighbouring blocks. numpy releases the GIL, so the
    texts are split between a few threads.
    """
    out: list[np.ndarray] = [np.zeros((0, NUM_PERM), dtype=np.uint32)] * len(prepared)
    todo = [i for i, p in enumerate(prepared) if len(p.hashes)]
    threads = min(4, os.cpu_count() or 1)
    if threads > 1 and len(todo) > 100:
        parts = [todo[k::threads] for k in range(threads)]
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda part: _signatures_into(prepared, part, out, batch), parts))
    else:
        _signatures_into(prepared, todo, out, batch)
    return out


def _signatures_into(prepared, todo: list[int], out: list, batch: int) -> None:
    # Work arrays allocated once: a fresh multi-megabyte array for every batch costs more in
    # page faults than the arithmetic.
    cap = max([batch, *(len(prepared[i].hashes) for i in todo)])
    work = np.empty((NUM_PERM, cap), dtype=np.uint64)
    start = 0
    while start < len(todo):
        end, size = start, 0
        while end < len(todo) and (size == 0 or size + len(prepared[todo[end]].hashes) <= batch):
            size += len(prepared[todo[end]].hashes)
            end += 1
        chunk = todo[start:end]
        values = np.concatenate([prepared[i].hashes for i in chunk]) & _MAX32
        offsets, block_counts, at = [], [], 0
        for i in chunk:
            n = len(prepared[i].hashes)
            blocks = np.arange(at, at + n, STRIDE)
            offsets.append(blocks)
            block_counts.append(len(blocks))
            at += n
        h = work[:, : len(values)]
        with np.errstate(over="ignore"):
            np.multiply(_A, values, out=h)
            np.add(h, _B, out=h)
        np.right_shift(h, np.uint64(32), out=h)
        mins = np.minimum.reduceat(h, np.concatenate(offsets), axis=1).T.astype(np.uint32)
        first = 0
        for i, count in zip(chunk, block_counts, strict=True):
            blocks = mins[first : first + count]
            first += count
            out[i] = blocks if count == 1 else np.minimum(blocks[:-1], blocks[1:])
        start = end


# --------------------------------------------------------------------------------------------
# Candidates by LSH banding


def candidate_pairs(
    sigs: Sequence[np.ndarray], owners: np.ndarray | None = None, max_bucket: int | None = None
) -> np.ndarray:
    """Pairs of text indices (i < j) with at least one pair of windows in a common bucket.

    ``owners`` (one value per text, e.g. the organisation) leaves out pairs of the same owner.
    Buckets larger than ``max_bucket`` windows are boilerplate every applicant writes, skipped.
    """
    counts = np.array([len(s) for s in sigs], dtype=np.int64)
    if counts.sum() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    allsig = np.concatenate([s for s in sigs if len(s)]).astype(np.uint64)
    text_of = np.repeat(np.arange(len(sigs), dtype=np.int64), counts)
    found = []
    for band in range(BANDS):
        cols = allsig[:, band * ROWS : (band + 1) * ROWS]
        key = cols[:, 0]
        with np.errstate(over="ignore"):
            for r in range(1, ROWS):
                key = _mix(key * _BASE + cols[:, r])
        order = np.argsort(key, kind="stable")
        key_sorted = key[order]
        edge = np.flatnonzero(np.diff(key_sorted)) + 1
        starts = np.concatenate(([0], edge))
        sizes = np.diff(np.concatenate((starts, [len(key_sorted)])))
        keep = sizes >= 2
        if max_bucket is not None:
            keep &= sizes <= max_bucket
        for size in np.unique(sizes[keep]):
            group_starts = starts[keep & (sizes == size)]
            members = text_of[order[group_starts[:, None] + np.arange(size)]]
            left, right = np.triu_indices(size, k=1)
            found.append(np.stack([members[:, left].ravel(), members[:, right].ravel()], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if owners is not None:
        pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]]
    return np.unique(pairs, axis=0)


def candidate_pairs_datasketch(sigs: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """The same candidates through ``datasketch.MinHashLSH`` (no bucket limit): the reference
    the numpy banding is checked and timed against."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    pairs = set()
    for text, sig in enumerate(sigs):
        for w, row in enumerate(sig):
            minhash = MinHash(hashvalues=row.astype(np.uint64), scheme="affine32")
            for other_text, _other_window in lsh.query(minhash):
                if other_text != text:
                    pairs.add((min(text, other_text), max(text, other_text)))
            lsh.insert((text, w), minhash, check_duplication=False)
    return pairs


# --------------------------------------------------------------------------------------------
# The exact comparison of one pair


@dataclass(frozen=True)
class Passage:
    """A passage both texts share: [a_start, a_end) of A's original text and the same for B."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass
class Match:
    a: int  # index of the text in the corpus
    b: int
    share_a: float  # of A's own characters, those in passages shared with B
    share_b: float
    passages: list[Passage] = field(default_factory=list)


def _coverage(starts: np.ndarray, length: int) -> np.ndarray:
    """Which of ``length`` characters are covered by the shingles starting at ``starts``."""
    opened = np.bincount(starts, minlength=length + 1)
    closed = np.bincount(np.minimum(starts + SHINGLE, length), minlength=length + 1)
    return np.cumsum(opened[:length] - closed[:length]) > 0


@dataclass
class Own:
    """A text's shingles without the corpus's common ones, the characters they cover (the
    denominator of the share), and its distinct shingles sorted (for a quick first look)."""

    hashes: np.ndarray
    starts: np.ndarray
    covered: np.ndarray
    distinct: np.ndarray
    chars: int


def own_part(p: Prepared, common: np.ndarray) -> Own:
    keep = ~_member(p.hashes, common) if len(common) else np.ones(len(p.hashes), dtype=bool)
    starts = p.starts[keep]
    covered = _coverage(starts, p.length)
    return Own(p.hashes[keep], starts, covered, np.unique(p.hashes[keep]), int(covered.sum()))


def may_reach(a: Own, b: Own, threshold: float) -> bool:
    """False when the pair cannot reach ``threshold``: n shared shingles cover at most
    n · SHINGLE characters, and a passage needs MIN_PASSAGE − SHINGLE + 1 of them."""
    shared = len(np.intersect1d(a.distinct, b.distinct, assume_unique=True))
    if shared < MIN_PASSAGE - SHINGLE + 1:
        return False
    return shared * SHINGLE >= threshold * max(1, min(a.chars, b.chars))


def match(
    a: Prepared,
    b: Prepared,
    common: np.ndarray,
    *,
    ia: int = 0,
    ib: int = 1,
    own_a: Own | None = None,
    own_b: Own | None = None,
) -> Match:
    """The passages A and B share, and the share of each text they cover."""
    own_a = own_a or own_part(a, common)
    own_b = own_b or own_part(b, common)
    ha, sa, hb, sb = own_a.hashes, own_a.starts, own_b.hashes, own_b.starts
    result = Match(ia, ib, 0.0, 0.0)
    if not len(ha) or not len(hb):
        return result
    order = np.argsort(hb, kind="stable")
    hb_sorted, sb_sorted = hb[order], sb[order]
    at = np.searchsorted(hb_sorted, ha)
    at[at == len(hb_sorted)] = 0
    shared = hb_sorted[at] == ha
    if not shared.any():
        return result
    i = sa[shared]
    j = sb_sorted[at[shared]]
    # Runs: A and B both move one character on.
    breaks = np.flatnonzero((np.diff(i) != 1) | (np.diff(j) != 1)) + 1
    run_starts = np.concatenate(([0], breaks))
    run_ends = np.concatenate((breaks, [len(i)])) - 1
    runs = []
    for s, e in zip(run_starts.tolist(), run_ends.tolist(), strict=True):
        runs.append([i[s], i[e] + SHINGLE, j[s], j[e] + SHINGLE, s, e])
    # A changed character breaks a run into two a shingle apart: one passage again.
    merged = [runs[0]]
    for run in runs[1:]:
        last = merged[-1]
        if 0 <= run[0] - last[1] <= SHINGLE and 0 <= run[2] - last[3] <= SHINGLE:
            last[1], last[3], last[5] = run[1], max(last[3], run[3]), run[5]
        else:
            merged.append(run)
    kept_a, kept_b = [], []
    for a0, a1, b0, b1, s, e in merged:
        if a1 - a0 < MIN_PASSAGE:
            continue
        kept_a.append(i[s : e + 1])
        kept_b.append(j[s : e + 1])
        result.passages.append(
            Passage(
                int(a.positions[a0]),
                int(a.positions[a1 - 1]) + 1,
                int(b.positions[b0]),
                int(b.positions[b1 - 1]) + 1,
            )
        )
    if not kept_a:
        return result
    covered_a = _coverage(np.concatenate(kept_a), a.length)
    covered_b = _coverage(np.concatenate(kept_b), b.length)
    result.share_a = float((covered_a & own_a.covered).sum() / max(own_a.covered.sum(), 1))
    result.share_b = float((covered_b & own_b.covered).sum() / max(own_b.covered.sum(), 1))
    return result


# --------------------------------------------------------------------------------------------
# The whole comparison


def common_hashes(prepared: Sequence[Prepared]) -> np.ndarray:
    """Shingles in more than COMMON_SHARE of the texts and in at least COMMON_MIN_DOCS."""
    floor = max(COMMON_MIN_DOCS, int(COMMON_SHARE * len(prepared)) + 1)
    if len(prepared) < floor:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.concatenate([p.hashes for p in prepared])
    # A first pass counts occurrences in 2^22 buckets of the hash (no sort): only shingles in
    # a bucket reaching the floor can be common, and only those are counted exactly, once per
    # text.
    buckets = (hashes >> np.uint64(64 - 22)).astype(np.int64)
    heavy = np.bincount(buckets, minlength=1 << 22) >= floor
    suspects = np.flatnonzero(heavy[buckets])
    if not len(suspects):
        return np.zeros(0, dtype=np.uint64)
    text_of = np.repeat(np.arange(len(prepared)), [len(p.hashes) for p in prepared])[suspects]
    values = hashes[suspects]
    order = np.lexsort((text_of, values))
    values, text_of = values[order], text_of[order]
    first = np.ones(len(values), dtype=bool)
    first[1:] = (values[1:] != values[:-1]) | (text_of[1:] != text_of[:-1])
    distinct, counts = np.unique(values[first], return_counts=True)
    return distinct[counts >= floor]


@dataclass
class Document:
    key: Hashable
    text: str
    owner: Hashable  # texts of the same owner (organisation) are not compared
    query: bool = True  # False: compared only with the query texts (an earlier year's)
    signature: np.ndarray | None = None  # from a cache, when the text has not changed


@dataclass
class Comparison:
    matches: list[Match]
    signatures: list[np.ndarray]
    prepared: list[Prepared]
    candidates: int


def compare(documents: Sequence[Document], boilerplate: np.ndarray, threshold: float) -> Comparison:
    """Every query text against every other text; the pairs whose shared passages cover at
    least ``threshold`` of either text."""
    prepared = prepare_many([d.text for d in documents], boilerplate)
    missing = [i for i, d in enumerate(documents) if d.signature is None]
    computed = signatures([prepared[i] for i in missing])
    sigs = [d.signature for d in documents]
    for i, sig in zip(missing, computed, strict=True):
        sigs[i] = sig
    owner_ids: dict[Hashable, int] = {}
    owners = np.array([owner_ids.setdefault(d.owner, len(owner_ids)) for d in documents])
    total_windows = sum(len(s) for s in sigs)
    max_bucket = max(COMMON_MIN_DOCS, int(COMMON_SHARE * total_windows))
    pairs = candidate_pairs(sigs, owners, max_bucket=max_bucket)
    query = np.array([d.query for d in documents], dtype=bool)
    if len(pairs):
        pairs = pairs[query[pairs[:, 0]] | query[pairs[:, 1]]]
    common = common_hashes(prepared)
    owns: dict[int, Own] = {}

    def own(i: int) -> Own:
        if i not in owns:
            owns[i] = own_part(prepared[i], common)
        return owns[i]

    matches = []
    for ia, ib in pairs.tolist():
        if not may_reach(own(ia), own(ib), threshold):
            continue
        found = match(
            prepared[ia], prepared[ib], common, ia=ia, ib=ib, own_a=own(ia), own_b=own(ib)
        )
        if max(found.share_a, found.share_b) >= threshold:
            matches.append(found)
    return Comparison(matches, sigs, prepared, len(pairs))


def to_bytes(signature: np.ndarray) -> bytes:
    return np.ascontiguousarray(signature, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").reshape(-1, NUM_PERM).astype(np.uint32)
