"""Job-description matching: which terms a job asks for, and which of them a piece of text covers.

A job's terms are what a vocabulary finds in its text, plus the technical-looking words and
capitalised phrases the vocabulary does not know. The vocabulary is cvforge's built-in lexicon
(data/synonyms.yaml) ∪ every skill, tech item, note keyword and tag of the profile ∪ the target's
own terms. Matching ignores case, punctuation and a plural "s", except for spellings listed as
exact-case ("Go" the language, never "go live"). Pure: no I/O, no randomness, stable order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel

from cvforge.schema.profile import Profile

# A word is a run of letters or digits; C++ and C# keep their suffix.
_WORD = re.compile(r"[^\W_]+(?:\+\+|#)?")
# Terms never span these: line ends, clause punctuation, separators, a full stop before a space.
_BREAK = re.compile(r"[\n;:!?,()\[\]{}|•·—–→<>\"“”]|\.(?=\s|$)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_CHUNK = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’()[]{}<>,;:!?*_`~"
_CAMEL = re.compile(r"[a-z][A-Z]")
_LETTER_DIGIT = re.compile(r"(?=.*[A-Za-z])(?=.*\d)")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
_DOTTED = re.compile(r"^[A-Za-z][\w-]*\.[A-Za-z][\w.]*$")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")
MENTIONS_COUNTED = 3  # a term said more often than this weighs no more
# Headings of the optional part of a job ad; terms named only there weigh least.
_OPTIONAL_HEADING = re.compile(r"nice[- ]to[- ]have|good[- ]to[- ]have|bonus|preferred|a plus|optional|desirable", re.I)


def _word_set(words: str) -> frozenset[str]:
    """A word list written as one string, which reads better than a column of quoted words."""
    return frozenset(words.split())


# Capitalised words that never start or join a term: sentence glue and job-ad boilerplate.
_STOPWORDS = _word_set(
    "a an and or of for in on at to with our we you your this that if as by from is are be it i will can may us "
    "the they their who what when where why how all any each every per via into about over under"
)
_ROLE_WORDS = _word_set(
    "engineer engineers engineering developer developers manager managers lead leads director architect intern "
    "head vp senior staff principal junior team teams role roles position"
)
# All-capital words that are not skills: places, currencies, titles, ad boilerplate.
_NOT_ACRONYMS = _word_set(
    "US USA UK EU EMEA APAC USD EUR INR GBP CAD AUD HR CEO CTO CFO COO CPO VP OK FAQ TBD ETA PTO WFH IT AND OR NOT "
    "THE YOU WE OUR FTE OTE CV EOE ESOP ESOPS DEI LGBTQ NYC SF IST PST EST CET UTC GMT ASAP FYI AM PM LPA CTC "
    "Q1 Q2 Q3 Q4 H1 H2 YOE"
)
_NOT_DOTTED = frozenset({"e.g", "i.e", "etc", "vs", "a.m", "p.m"})
_NUMBER_WORD = re.compile(r"^(?:\d+-[a-z]+|[a-z]+-\d+)$")  # "60-person", "top-10": numbers, not names


def fold(word: str) -> str:
    """A word's matching key: case-free and singular ('APIs' → 'api', 'Queries' → 'query')."""
    key = word.casefold()
    if len(key) > 4 and key.endswith("ies"):
        return key[:-3] + "y"
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


def phrase_key(text: str) -> str:
    """The key two spellings share when they mean the same: 'Event-Driven' and 'event driven'."""
    return " ".join(fold(m.group()) for m in _WORD.finditer(text))


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text, with its key, its clause and where it sits."""

    raw: str
    key: str
    clause: int
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    """Words in order, each tagged with the clause it is in, so terms never span punctuation."""
    words: list[Word] = []
    clause = 0
    previous_end = 0
    for match in _WORD.finditer(text):
        if words and _BREAK.search(text, previous_end, match.start()):
            clause += 1
        words.append(Word(match.group(), fold(match.group()), clause, match.start(), match.end()))
        previous_end = match.end()
    return words


# --------------------------------------------------------------------------------------------
# Lexicon and vocabulary


@dataclass(frozen=True)
class Lexicon:
    """A table of terms and their spellings, as in data/synonyms.yaml; user tables extend it."""

    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exact_case: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    def extended(self, other: Lexicon) -> Lexicon:
        """Other's spellings join the term they name (by any spelling); unknown terms are added."""
        terms = {label: list(aliases) for label, aliases in self.terms.items()}
        owner = {phrase_key(s): label for label, aliases in terms.items() for s in (label, *aliases)}
        for label, aliases in other.terms.items():
            home = next((owner[phrase_key(s)] for s in (label, *aliases) if phrase_key(s) in owner), None)
            if home is None:
                home = label
                terms[home] = []
            for spelling in (label, *aliases):
                if phrase_key(spelling) not in owner:
                    terms[home].append(spelling)
                    owner[phrase_key(spelling)] = home
        return Lexicon(
            {label: tuple(aliases) for label, aliases in terms.items()},
            self.exact_case | other.exact_case,
            self.ignore | other.ignore,
        )

    @cached_property
    def ignored_keys(self) -> frozenset[str]:
        return frozenset(phrase_key(word) for word in self.ignore)

    def ignored(self, text: str) -> bool:
        return phrase_key(text) in self.ignored_keys


@dataclass(frozen=True)
class Term:
    """Something a job asks for, with every spelling that counts as saying it."""

    key: str
    label: str
    spellings: tuple[str, ...]
    source: str  # "lexicon", "profile", "target" or "job" (found in the job text only)


@dataclass(frozen=True)
class Hit:
    """One place a term was found: its key, the words it spans, and their character offsets."""

    term: str
    first: int
    length: int
    start: int
    end: int


class Matcher:
    """Finds terms in text by their spellings; exact-case spellings compare the words as written."""

    def __init__(self, terms: Iterable[Term], exact_case: Iterable[str] = ()) -> None:
        exact = set(exact_case)
        self.terms: dict[str, Term] = {}
        index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None, str]]] = {}
        for term in terms:
            self.terms.setdefault(term.key, term)
            for spelling in term.spellings:
                words = [m.group() for m in _WORD.finditer(spelling)]
                if not words:
                    continue
                keys = tuple(fold(w) for w in words)
                raws = tuple(words) if spelling in exact else None
                index.setdefault(keys[0], []).append((keys, raws, term.key))
        # Longest spellings first, so "Spring Boot" wins over "Spring" at the same place.
        self._index = {first: sorted(entries, key=lambda e: -len(e[0])) for first, entries in index.items()}

    def scan(self, text: str, *, overlapping: bool) -> list[Hit]:
        """Every hit; `overlapping=False` keeps the longest at each place and moves past it."""
        words = split_words(text)
        hits: list[Hit] = []
        i = 0
        while i < len(words):
            found = list(self._hits_at(words, i))
            if overlapping:
                hits.extend(found)
                i += 1
            elif found:
                hits.append(found[0])
                i += found[0].length
            else:
                i += 1
        return hits

    def _hits_at(self, words: Sequence[Word], i: int) -> Iterator[Hit]:
        seen: set[str] = set()
        for keys, raws, term in self._index.get(words[i].key, ()):
            n = len(keys)
            window = words[i : i + n]
            if len(window) < n or window[-1].clause != words[i].clause or term in seen:
                continue
            if tuple(w.key for w in window) != keys:
                continue
            if raws is not None and tuple(w.raw for w in window) != raws:
                continue
            seen.add(term)
            yield Hit(term, i, n, window[0].start, window[-1].end)

    def find(self, text: str) -> set[str]:
        """Keys of every term the text mentions anywhere (nested mentions count)."""
        return {hit.term for hit in self.scan(text, overlapping=True)}


def build_vocabulary(lexicon: Lexicon, profile_terms: Iterable[str], target_terms: Iterable[str] = ()) -> Matcher:
    """The lexicon's terms, then the profile's and the target's that the lexicon does not already know."""
    terms: list[Term] = []
    known: set[str] = set()

    def add(label: str, aliases: Sequence[str], source: str) -> None:
        spellings = [s for s in (label, *aliases) if phrase_key(s)]
        if not spellings or lexicon.ignored(label):
            return
        if any(phrase_key(s) in known for s in spellings):
            return
        known.update(phrase_key(s) for s in spellings)
        terms.append(Term(phrase_key(label), label, tuple(spellings), source))

    for label, aliases in lexicon.terms.items():
        add(label, aliases, "lexicon")
    for label in target_terms:
        add(label, (), "target")
    for label in profile_terms:
        add(label, (), "profile")
    return Matcher(terms, lexicon.exact_case)


def profile_terms(profile: Profile) -> list[str]:
    """What the person names as skills: skills, tech, note keywords and every tag, cleaned of asides.

    'Go (working)' → 'Go'; 'AWS / GCP' → 'AWS', 'GCP'. Tags are labels the person chose to describe
    an item with, so they are vocabulary too ('event-driven', 'payments').
    """
    raw: list[str] = [*profile.skills.working_with]
    raw += [item for row in profile.skills.table for item in row.items]
    raw += [item for group in profile.skills.groups for item in group.items]
    raw += [tech for project in profile.projects for tech in project.tech]
    raw += [keyword for note in profile.notes for keyword in note.keywords]
    raw += [tag for model in walk_models(profile) for tag in getattr(model, "tags", ())]
    terms: list[str] = []
    for text in raw:
        for part in re.split(r"\s+/\s+|,\s+", _PARENTHETICAL.sub("", text)):
            part = part.strip(" .")
            if part and part not in terms:
                terms.append(part)
    return terms


def walk_models(model: BaseModel) -> Iterator[BaseModel]:
    """A model and every model nested in it, depth first in field order."""
    yield model
    for name in type(model).model_fields:
        value = getattr(model, name)
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                yield from walk_models(child)


# --------------------------------------------------------------------------------------------
# A job description


@dataclass(frozen=True)
class JobTerm:
    """A term of the job, how often the job says it, and the weight that gives it.

    Weight: 2 per mention in the main text, counting at most MENTIONS_COUNTED mentions (so 2 to 6);
    1 for a term named only under a "nice to have" heading.
    """

    term: Term
    count: int
    weight: int
    first: int
    optional: bool = False

    @property
    def label(self) -> str:
        return self.term.label


@dataclass(frozen=True)
class Score:
    """How relevant a piece of the profile is: the summed weight of the distinct job terms it mentions."""

    points: int
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    """A job description's terms, most important first, and a matcher for finding them elsewhere."""

    terms: tuple[JobTerm, ...]
    matcher: Matcher

    def covered_by(self, text: str) -> set[str]:
        """Keys of the job's terms that `text` mentions."""
        return self.matcher.find(text)

    def score(self, text: str) -> Score:
        found = self.covered_by(text)
        matched = [jt for jt in self.terms if jt.term.key in found]
        return Score(sum(jt.weight for jt in matched), tuple(jt.label for jt in matched))


def analyse_job(text: str, vocabulary: Matcher, lexicon: Lexicon, ignore: Iterable[str] = ()) -> Job:
    """Find a job description's terms and weigh them (see JobTerm); most important first, then in order."""
    plain = plain_job_text(text)
    optional_parts = optional_spans(plain)
    ignored = {phrase_key(t) for t in ignore} | lexicon.ignored_keys
    mentions: dict[str, list[int]] = {}
    terms: dict[str, Term] = {}
    spans: list[tuple[int, int]] = []
    for hit in vocabulary.scan(plain, overlapping=False):
        term = vocabulary.terms[hit.term]
        spans.append((hit.start, hit.end))
        terms.setdefault(term.key, term)
        mentions.setdefault(term.key, []).append(hit.start)
    for start, end, spelling in job_only_terms(plain):
        if any(start < s_end and s_start < end for s_start, s_end in spans):
            continue
        key = phrase_key(spelling)
        terms.setdefault(key, Term(key, spelling, (spelling,), "job"))
        mentions.setdefault(key, []).append(start)
    found: list[JobTerm] = []
    for key, places in mentions.items():
        term = terms[key]
        if key in ignored or any(phrase_key(s) in ignored for s in term.spellings):
            continue
        main = [p for p in places if not any(a <= p < b for a, b in optional_parts)]
        weight = 2 * min(len(main), MENTIONS_COUNTED) if main else 1
        found.append(JobTerm(term, len(places), weight, min(places), optional=not main))
    found.sort(key=lambda jt: (-jt.weight, jt.first))
    return Job(tuple(found), Matcher([jt.term for jt in found], lexicon.exact_case))


def optional_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges under a "Nice to have" / "Bonus" / "Preferred" heading, up to the next heading."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for line_start, line in _lines(text):
        if not _is_heading(line):
            continue
        if start is not None:
            spans.append((start, line_start))
            start = None
        if _OPTIONAL_HEADING.search(line):
            start = line_start
    if start is not None:
        spans.append((start, len(text)))
    return spans


def _is_heading(line: str) -> bool:
    """A Markdown heading, a line that is all bold, or a short line ending in a colon."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    if stripped.startswith("**") and stripped.rstrip(":").endswith("**"):
        return True
    return 0 < len(stripped) <= 60 and stripped.endswith(":") and not stripped.startswith(("-", "*", "+"))


def plain_job_text(text: str) -> str:
    """Markdown link targets and URLs removed; the rest stays where it was (offsets keep meaning)."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    return _URL.sub(lambda m: " " * len(m.group()), text)


def job_only_terms(text: str) -> list[tuple[int, int, str]]:
    """Technical-looking words and capitalised phrases, outside Markdown headings; longest first wins.

    Technical-looking: camel case (DynamoDB, gRPC), letters with digits (S3, OAuth2), inner dots
    (Node.js), a ++ or # suffix, or an acronym of two to six capitals that is not a place, a
    currency or a title. A capitalised phrase is two to four Capitalised words inside a sentence
    (not at its start), without role words ("Senior Engineer") or glue words ("of", "the").
    """
    found: list[tuple[int, int, str]] = []
    for line_start, line in _lines(text):
        if _is_heading(line):
            continue
        run: list[tuple[int, int, str]] = []
        sentence_start = True
        for match in _CHUNK.finditer(line):
            chunk = match.group()
            word = chunk.lstrip(_EDGE_PUNCT).rstrip(_EDGE_PUNCT + ".")
            if not any(c.isalnum() for c in word) or re.fullmatch(r"\d+[.)]", chunk):
                found += _phrase(run)
                run = []
                continue  # a list marker or a lone symbol: the sentence has not started yet
            start = line_start + match.start() + len(chunk) - len(chunk.lstrip(_EDGE_PUNCT))
            if _technical(word):
                found.append((start, start + len(word), word))
            if chunk[0] in _EDGE_PUNCT or sentence_start or not _capitalised(word):
                found += _phrase(run)
                run = []
            if _capitalised(word) and not sentence_start:
                run.append((start, start + len(word), word))
            tail = chunk.rstrip("\"')]}”’*_")
            if tail != chunk or tail[-1:] in tuple(".,;:!?"):
                found += _phrase(run)
                run = []
            sentence_start = tail[-1:] in tuple(".!?:")
        found += _phrase(run)
    kept: list[tuple[int, int, str]] = []
    for candidate in sorted(found, key=lambda c: (c[0], c[0] - c[1])):
        if not kept or candidate[0] >= kept[-1][1]:
            kept.append(candidate)
    return kept


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line
        offset += len(line)


def _technical(word: str) -> bool:
    if word.casefold() in _NOT_DOTTED or word in _NOT_ACRONYMS or _NUMBER_WORD.match(word):
        return False
    return bool(
        _CAMEL.search(word)
        or (_LETTER_DIGIT.match(word) and re.search(r"[A-Za-z]", word))
        or _DOTTED.match(word)
        or word.endswith(("++", "#"))
        or _ACRONYM.match(word)
    )


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word.casefold() not in _STOPWORDS


def _phrase(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A run of capitalised words is a phrase when it has two to four words and none is a role word."""
    if 2 <= len(run) <= 4 and not any(w.casefold() in _ROLE_WORDS for _, _, w in run):
        return [(run[0][0], run[-1][1], " ".join(w for _, _, w in run))]
    return []


# --------------------------------------------------------------------------------------------
# Coverage


@dataclass(frozen=True)
class Coverage:
    """Which of a job's terms a text covers; `percent` is covered / all terms, one decimal."""

    covered: tuple[JobTerm, ...]
    missing: tuple[JobTerm, ...]

    @property
    def percent(self) -> float | None:
        total = len(self.covered) + len(self.missing)
        return round(100 * len(self.covered) / total, 1) if total else None


def measure_coverage(job: Job, text: str) -> Coverage:
    found = job.covered_by(text)
    return Coverage(
        tuple(jt for jt in job.terms if jt.term.key in found),
        tuple(jt for jt in job.terms if jt.term.key not in found),
    )
