"""Match Wikidata's twin-town statements (P190) to the catalogue, and import those that place themselves.

Input: two tab-separated files without a header (plain or .gz), as in
data/wikidata_p190_*.tsv.gz: NAMES (``QID<TAB>label``, one label per item,
often German: "Mailand", "Peking") and RELATIONS (``QID<TAB>QID``, directed as
Wikidata states them; A–B and B–A are one pair). They give no countries.

How a pair is read
------------------
* The items of a pair are looked for in the catalogue: an item is the place
  that already carries its QID, else every place one of whose names (name,
  native name, variants, GeoNames' alternate names; folded, so "Nürnberg"
  meets "Nurnberg") equals its label.
* A label alone is often ambiguous; a pair much less so. The pair **matches**
  a partnership when exactly one combination of the two items' places is a
  partnership of the catalogue. When one item is placed and the other's
  label meets no place, a partner of the first whose name is a close
  spelling of the label ("Astrachan" for Astrakhan) is taken, if it is the
  only one.
* A matched pair gives both places their QIDs and the partnership the pair
  (``QID-QID`` in the order of its places), and cites the dataset
  (a Citation located "QID-QID", quoting the relation lines).
* A pair that matches no partnership is **created** as a partnership of its
  own (with one undated "twinning" status step, as import_twin_towns gives
  its pairs) only when both items are placed with confidence: each label
  meets exactly one place (or the place already carries that QID), and
  neither place carries another QID. No place is ever created.
* The rest is reported, not guessed: **ambiguous** (several combinations, or
  a label meeting several places and no combination a partnership), **not
  placed** (a label meeting no place), **conflicts** (a place or partnership
  already carrying another QID, or two items claiming one place: nothing of
  such a pair is written; a QID is never overwritten).

Deciding one pair can settle another (a place given its QID is no longer
ambiguous), so the decisions are repeated until they no longer change: a
second import of the same files therefore changes nothing. Everything is
decided in memory and written in one transaction; a file that cannot be
read imports nothing; rows that cannot be used are reported by line.
"""

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import CommandError

from partnerships.importing import (
    ImportCommand,
    bulk_create,
    bulk_link,
    bulk_set,
    read_lines,
)
from partnerships.models import (
    Citation,
    Partnership,
    PartnershipStatus,
    Place,
    PlaceName,
    StatusStep,
    slug_base,
    unique_slug,
)
from partnerships.text import fold

QID = re.compile(r"\AQ[1-9][0-9]*\Z")
TITLE = "Wikidata: twinned administrative body (P190) statements, 2016 crawl"
PUBLISHER = "Wikidata contributors; collected by L3viathan/sister-cities"
URL = "https://www.wikidata.org/wiki/Property:P190"
LICENCE = "CC0 1.0 (public domain): Wikidata"
STEP_DESCRIPTION = (
    "Stated in Wikidata as twinned administrative bodies (property P190); Wikidata gives no date here."
)
CLOSE_SPELLING = 0.8  # difflib ratio of folded names: "astrachan" ~ "astrakhan" is 0.89
EXAMPLES = 20


def qid_number(qid):
    return int(qid[1:])


@dataclass
class Pair:
    """One unordered pair of items, as the relations file gives it (once or in both directions)."""

    a: str  # the item with the lower number
    b: str
    lines: list = field(default_factory=list)  # (line number, raw line)

    @property
    def line(self):
        return self.lines[0][0]


class Command(ImportCommand):
    help = (
        "Match Wikidata's twin-town pairs (NAMES: QID<TAB>label; RELATIONS: QID<TAB>QID; plain or .gz, e.g. "
        "data/wikidata_p190_names.tsv.gz data/wikidata_p190_relations.tsv.gz) to the catalogue's partnerships by "
        "the labels and the places' names; set the places' and partnerships' Wikidata IDs and cite the dataset "
        "(CC0). Pairs that match no partnership are created only where both places are certain; the rest is "
        "reported. One transaction; a bad file imports nothing; a second import changes nothing."
    )
    path_help = "The names file (QID<TAB>label), e.g. data/wikidata_p190_names.tsv.gz"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "relations", help="The relations file (QID<TAB>QID), e.g. data/wikidata_p190_relations.tsv.gz"
        )

    def prepare(self, relations, **options):
        self.relations = relations

    # -----------------------------------------------------------------------
    # Reading

    def read(self, path):
        """(labels, pairs, relation rows read): both files, checked."""
        labels = self.read_names(path)
        pairs, rows = self.read_relations(self.relations, labels)
        self.progress(
            f"read {len(labels):,} labels and {rows:,} relations: {len(pairs):,} distinct pairs "
            f"({len(self.problems):,} rows with problems)"
        )
        return labels, pairs, rows

    def problem(self, path, number, reason):
        self.problems.append((number, f"{Path(path).name}: {reason}"))

    def fields(self, path, number, line, kind, usable_so_far):
        """The two fields of a line; a first line that is not of this kind refuses the file."""
        fields = line.split("\t")
        reason = ""
        if len(fields) != 2:
            reason = f"expected 2 tab-separated fields, found {len(fields)}"
        elif not QID.match(fields[0].strip()):
            reason = f"“{fields[0][:40]}” is not a Wikidata ID (Q and a number)"
        elif kind == "relations" and not QID.match(fields[1].strip()):
            reason = f"“{fields[1][:40]}” is not a Wikidata ID (Q and a number)"
        if not reason:
            return [f.strip() for f in fields]
        if not usable_so_far and not self.problems:
            raise CommandError(f"{path}: not a Wikidata {kind} file: line {number}: {reason}. Nothing imported.")
        self.problem(path, number, reason)
        return None

    def read_names(self, path):
        lines = read_lines(path, "a Wikidata names file (QID<TAB>label)")
        labels = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = self.fields(path, number, line, "names", labels)
            if fields is None:
                continue
            qid, label = fields
            if not label:
                self.problem(path, number, f"{qid} has an empty label")
            elif qid in labels and labels[qid] != label:
                self.problem(path, number, f"{qid} is labelled again, “{label}” after “{labels[qid]}”: kept the first")
            else:
                labels[qid] = label
        return labels

    def read_relations(self, path, labels):
        lines = read_lines(path, "a Wikidata relations file (QID<TAB>QID)")
        pairs, rows = {}, 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            rows += 1
            fields = self.fields(path, number, line, "relations", pairs)
            if fields is None:
                continue
            a, b = sorted(fields, key=qid_number)
            if a == b:
                self.problem(path, number, f"pairs {a} with itself")
                continue
            unlabelled = [q for q in (a, b) if q not in labels]
            if unlabelled:
                self.problem(path, number, f"{' and '.join(unlabelled)} not in the names file")
                continue
            pairs.setdefault((a, b), Pair(a, b)).lines.append((number, line))
        return pairs, rows

    # -----------------------------------------------------------------------
    # Deciding

    def source(self, path):
        return self.dataset_source(
            self.relations,
            "wikidata",
            # Named after the relations file without its "relations" part: the two files are one dataset.
            slug=re.sub(r"-?relations$", "", slug_base(Path(Path(self.relations).name.removesuffix(".gz")).stem, 80))
            or "wikidata",
            title=TITLE,
            publisher=PUBLISHER,
            language="mul",
            url=URL,
            licence=LICENCE,
            notes="Imported with `manage.py import_wikidata`: one citation per pair of items (the relation "
            "lines, located “QID-QID”), attached to the two places and their partnership.",
        )

    def load(self):
        """The catalogue as the decisions need it: places, their folded names, partnerships."""
        self.places = {
            p.pk: p for p in Place.objects.only("id", "slug", "name", "name_native", "wikidata_id", "country")
        }
        self.keys = defaultdict(set)  # place id -> folded names
        for place in self.places.values():
            self.keys[place.pk].update({fold(place.name), fold(place.name_native)})
            if "," in place.name:  # "Salisbury, Maryland": the town's name before the comma
                self.keys[place.pk].add(fold(place.name.split(",")[0]))
        for place_id, name in PlaceName.objects.values_list("place_id", "name"):
            self.keys[place_id].add(fold(name))
        self.by_name = defaultdict(set)  # folded name -> place ids
        for place_id, keys in self.keys.items():
            keys.discard("")
            for key in keys:
                self.by_name[key].add(place_id)
        self.qid_of = {pk: p.wikidata_id for pk, p in self.places.items()}
        self.by_qid = defaultdict(set)
        for pk, qid in self.qid_of.items():
            if qid:
                self.by_qid[qid].add(pk)
        self.partnerships = {}  # (smaller place id, larger) -> Partnership
        self.partners = defaultdict(set)
        for partnership in Partnership.objects.only("id", "slug", "place_a", "place_b", "wikidata_id"):
            a, b = partnership.place_a_id, partnership.place_b_id
            self.partnerships[(min(a, b), max(a, b))] = partnership
            self.partners[a].add(b)
            self.partners[b].add(a)
        self.progress(f"catalogue: {len(self.places):,} places, {len(self.partnerships):,} partnerships")

    def candidates(self, qid, label):
        """(free, all): the places that may be this item, and all the places its label names.

        The item is the place carrying its QID if there is one; else the places
        its label names, less those known to be other items ("free").
        """
        carrying = self.by_qid.get(qid)
        if carrying:
            return carrying, carrying
        named = self.by_name.get(fold(label), set())
        return {p for p in named if not self.qid_of[p]}, named

    def combinations(self, ca, cb):
        return [(x, y) for x in ca for y in cb if x != y and (min(x, y), max(x, y)) in self.partnerships]

    def close_partner(self, place_id, label):
        """The one partner of a place with a name close to the label, or None."""
        key = fold(label)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)  # difflib caches what it learns of the second sequence

        def close(name):
            # The cheap upper bounds first: most names are far from the label.
            if 2 * min(len(name), len(key)) < CLOSE_SPELLING * (len(name) + len(key)):
                return False
            matcher.set_seq1(name)
            return matcher.quick_ratio() >= CLOSE_SPELLING and matcher.ratio() >= CLOSE_SPELLING

        found = [
            other for other in self.partners[place_id] if not self.qid_of[other] and any(map(close, self.keys[other]))
        ]
        return found[0] if len(found) == 1 else None

    def describe(self, qid, label, places):
        names = ", ".join(sorted(self.places[p].slug for p in places)[:5])
        more = f" and {len(places) - 5} more" if len(places) > 5 else ""
        return f"“{label}” ({qid}) meets {len(places)} places: {names}{more}"

    def resolve(self, pair, labels):
        """(outcome, detail, (place of a, place of b) or None) of one pair against the current state."""
        la, lb = labels[pair.a], labels[pair.b]
        (ca, all_a), (cb, all_b) = self.candidates(pair.a, la), self.candidates(pair.b, lb)
        combos = self.combinations(ca, cb)
        if len(combos) == 1:
            return "matched", "", combos[0]
        if len(combos) > 1:
            slugs = sorted(self.partnerships[(min(x, y), max(x, y))].slug for x, y in combos)
            return "ambiguous", f"{len(combos)} partnerships fit: {', '.join(slugs[:5])}", None
        taken = self.combinations(all_a, all_b)
        if len(taken) == 1:  # the one fitting partnership has a place known to be another item
            return "conflict", self.carried(pair, *taken[0]), None
        if not ca and len(cb) == 1 or not cb and len(ca) == 1:
            placed, other_label = (next(iter(cb)), la) if not ca else (next(iter(ca)), lb)
            partner = self.close_partner(placed, other_label)
            if partner is not None:
                return "matched", "close spelling", ((partner, placed) if not ca else (placed, partner))
        if not ca or not cb:
            missing = [
                f"“{label}” ({qid}) meets no place" if not named else
                f"“{label}” ({qid}) meets only places that are other items: "
                + ", ".join(f"{self.places[p].slug} ({self.qid_of[p]})" for p in sorted(named)[:5])
                for qid, label, free, named in ((pair.a, la, ca, all_a), (pair.b, lb, cb, all_b))
                if not free
            ]
            return "not placed", "; ".join(missing), None
        if len(all_a) == 1 and len(all_b) == 1:
            x, y = next(iter(ca)), next(iter(cb))
            if x == y:
                return "not placed", f"both labels meet the one place {self.places[x].slug}", None
            return "new", "", (x, y)
        wide = [
            self.describe(q, label, c) for q, label, c in ((pair.a, la, all_a), (pair.b, lb, all_b)) if len(c) > 1
        ]
        return "ambiguous", "; ".join(wide) + "; no combination is a partnership", None

    def carried(self, pair, x, y):
        held = [
            f"{self.places[p].slug} carries {self.qid_of[p]}, not {q}"
            for p, q in ((x, pair.a), (y, pair.b))
            if self.qid_of[p] not in ("", q)
        ]
        return "; ".join(held)

    def pair_id(self, partnership, qids):
        """The partnership's pair as QID-QID in the order of its places."""
        return f"{qids[partnership.place_a_id]}-{qids[partnership.place_b_id]}"

    def decide(self, pairs, labels):
        """Repeat the decisions until they settle; return each pair's final (outcome, detail, places)."""
        created = set()  # pair keys whose partnership this import creates
        self.close_spellings = set()  # pair keys matched by a close spelling (later rounds find them by QID)
        for iteration in range(1, 100):
            outcomes = {key: self.resolve(pair, labels) for key, pair in pairs.items()}
            claims = {}
            for phase in ("matched", "new"):
                claims = self.claims(pairs, outcomes, phase)
                if claims:
                    break
            if not claims:
                break
            for key, (x, y) in claims.items():
                pair = pairs[key]
                if outcomes[key][1] == "close spelling":
                    self.close_spellings.add(key)
                for place, qid in ((x, pair.a), (y, pair.b)):
                    if not self.qid_of[place]:
                        self.qid_of[place] = qid
                        self.by_qid[qid].add(place)
                if outcomes[key][0] == "new":
                    partnership = Partnership(place_a=self.places[x], place_b=self.places[y])
                    self.partnerships[(min(x, y), max(x, y))] = partnership
                    self.partners[x].add(y)
                    self.partners[y].add(x)
                    created.add(key)
            self.progress(f"  round {iteration}: {len(claims):,} pairs settled")
        return outcomes, created

    def claims(self, pairs, outcomes, phase):
        """The pairs of this phase that would give a place a QID (or make a partnership), once conflicts are out.

        Conflicts become the pair's outcome: a place already carrying another
        QID, a partnership carrying another pair, or two items claiming one
        place (or one item two places) in the same round.
        """
        wanted, by_place, by_qid = {}, defaultdict(set), defaultdict(set)
        for key, (outcome, _, places) in outcomes.items():
            if outcome != phase:
                continue
            pair = pairs[key]
            x, y = places
            held = self.carried(pair, x, y)
            partnership = self.partnerships.get((min(x, y), max(x, y)))
            if not held and partnership is not None and partnership.wikidata_id:
                expected = self.pair_id(partnership, {x: pair.a, y: pair.b})
                if "-" in partnership.wikidata_id and partnership.wikidata_id != expected:
                    held = f"{partnership.slug} carries {partnership.wikidata_id}, not {expected}"
            if held:
                outcomes[key] = ("conflict", held, None)
                continue
            wanted[key] = (x, y)
            for place, qid in ((x, pair.a), (y, pair.b)):
                by_place[place].add(qid)
                by_qid[qid].add(place)
        settled = {}
        for key, (x, y) in wanted.items():
            pair = pairs[key]
            clash = [
                f"{len(by_place[p])} items claim {self.places[p].slug}: "
                f"{', '.join(sorted(by_place[p], key=qid_number))}"
                for p in (x, y)
                if len(by_place[p]) > 1
            ] + [
                f"{q} claims {len(by_qid[q])} places: {', '.join(sorted(self.places[p].slug for p in by_qid[q]))}"
                for q in (pair.a, pair.b)
                if len(by_qid[q]) > 1
            ]
            if clash:
                outcomes[key] = ("conflict", "; ".join(clash), None)
            elif any(not self.qid_of[p] for p in (x, y)) or phase == "new":
                settled[key] = (x, y)
        return settled

    # -----------------------------------------------------------------------
    # Writing

    def write(self, path, data):
        labels, pairs, _ = data
        source = self.source(path)
        self.load()
        before = dict(self.qid_of)
        outcomes, created = self.decide(pairs, labels)
        stats = Counter(outcome for outcome, _, _ in outcomes.values())
        stats["created"] = len(created)
        stats["matched"] -= len(created)
        stats["close spelling"] = sum(
            1 for key, (o, d, _) in outcomes.items() if o == "matched" and (d or key in self.close_spellings)
        )

        changed = [Place(pk=pk, wikidata_id=qid) for pk, qid in self.qid_of.items() if qid != before[pk]]
        bulk_set(Place, changed, ["wikidata_id"])
        stats["places given a QID"] = len(changed)

        taken = set(Partnership.objects.values_list("slug", flat=True))
        new_partnerships, changed_partnerships = [], []
        matched = {}  # pair key -> partnership
        for key, (outcome, _, places) in sorted(outcomes.items(), key=lambda item: item[1][2] or ()):
            if outcome != "matched":
                continue
            x, y = places
            partnership = self.partnerships[(min(x, y), max(x, y))]
            matched[key] = partnership
            wikidata_id = self.pair_id(partnership, self.qid_of)
            if partnership.pk is None:
                pa, pb = partnership.place_a, partnership.place_b
                partnership.slug = unique_slug(f"{pa.slug[:55]}-{pb.slug[:55]}", taken, fallback="partnership")
                partnership.wikidata_id = wikidata_id
                partnership.search_text = partnership.folded_search_text()
                new_partnerships.append(partnership)
            elif not partnership.wikidata_id:
                partnership.wikidata_id = wikidata_id
                changed_partnerships.append(partnership)
        bulk_create(Partnership, new_partnerships, self.progress, "partnerships")
        bulk_set(Partnership, changed_partnerships, ["wikidata_id"])
        stats["partnerships given a QID"] = len(changed_partnerships)
        self.progress(f"created {len(new_partnerships):,} partnerships, {len(changed):,} places given their QID")

        # One citation per pair, found again by its locator.
        cited = {
            locator: (pk, passage)
            for pk, locator, passage in Citation.objects.filter(source=source).values_list("id", "locator", "passage")
        }
        taken = set(Citation.objects.filter(slug__startswith=source.slug).values_list("slug", flat=True))
        new_citations, changed_citations, citation_of = [], [], {}
        for key, partnership in matched.items():
            locator = self.pair_id(partnership, self.qid_of)
            passage = "\n".join(raw for _, raw in pairs[key].lines)
            if locator in cited:
                pk, old = cited[locator]
                citation = Citation(id=pk, source=source, slug="", passage=passage, locator=locator)
                if old != passage:
                    citation = Citation.objects.get(pk=pk)
                    citation.passage = passage
                    citation.search_text = citation.folded_search_text()
                    changed_citations.append(citation)
            else:
                slug = unique_slug(f"{source.slug}-{locator.lower()}", taken, fallback="citation")
                citation = Citation(source=source, slug=slug, passage=passage, locator=locator)
                citation.search_text = citation.folded_search_text()
                new_citations.append(citation)
            citation_of[key] = citation
        bulk_create(Citation, new_citations, self.progress, "citations")
        if changed_citations:
            Citation.objects.bulk_update(changed_citations, ["passage", "search_text"], batch_size=500)
        stats["citations created"] = len(new_citations)

        # Created partnerships: one undated twinning step, as the twin-town lists give theirs.
        new_steps = []
        taken = set(StatusStep.objects.values_list("slug", flat=True))
        for partnership in new_partnerships:
            slug = unique_slug(f"{partnership.slug[:100]}-twinning", taken, fallback="twinning")
            step = StatusStep(
                partnership=partnership, status=PartnershipStatus.TWINNING, slug=slug, description=STEP_DESCRIPTION
            )
            step.search_text = step.folded_search_text()
            new_steps.append(step)
        bulk_create(StatusStep, new_steps, self.progress, "status steps")
        step_of = {step.partnership.pk: step for step in new_steps}

        links = {"place": set(), "partnership": set(), "statusstep": set()}
        for key, partnership in matched.items():
            citation = citation_of[key].pk
            links["place"] |= {(partnership.place_a_id, citation), (partnership.place_b_id, citation)}
            links["partnership"].add((partnership.pk, citation))
            if partnership.pk in step_of:
                links["statusstep"].add((step_of[partnership.pk].pk, citation))
        for model in (Place, Partnership, StatusStep):
            name = model._meta.model_name
            through = model.citations.through
            present = set(through.objects.filter(citation__source=source).values_list(f"{name}_id", "citation_id"))
            stats["citation links created"] += bulk_link(through, links[name] - present, name, "citation")
        self.outcomes = outcomes
        return stats

    # -----------------------------------------------------------------------
    # Report

    def summary(self, path, data, stats, dry_run):
        labels, pairs, rows = data
        self.report_problems()
        if self.verbosity < 1:
            return
        out = self.stdout.write
        for outcome in ("conflict", "ambiguous", "not placed"):
            items = sorted(
                (pairs[key].line, key, detail) for key, (o, detail, _) in self.outcomes.items() if o == outcome
            )
            if not items:
                continue
            shown = items if self.verbosity >= 2 else items[:EXAMPLES]
            out(f"Pairs {outcome}:")
            for line, (a, b), detail in shown:
                out(f"  line {line}: {a} “{labels[a]}” – {b} “{labels[b]}”: {detail}")
            if len(shown) < len(items):
                out(f"  ... and {len(items) - len(shown):,} more (-v 2 lists them all)")
        out(f"{'Dry run of' if dry_run else 'Imported'} {path} and {self.relations}")
        out(f"  labels read:             {len(labels):,}")
        out(f"  relations read:          {rows:,} ({len(self.problems):,} rows with problems)")
        out(f"  pairs read:              {len(pairs):,} distinct unordered pairs")
        out(
            f"  matched:                 {stats['matched']:,} (to partnerships of the catalogue; "
            f"{stats['close spelling']:,} by a close spelling of a partner's name)"
        )
        out(f"  created:                 {stats['created']:,} (partnerships of two places each certain)")
        out(f"  ambiguous:               {stats['ambiguous']:,}")
        out(f"  not placed:              {stats['not placed']:,}")
        out(f"  conflicts:               {stats['conflict']:,}")
        out(
            f"  Wikidata IDs set:        {stats['places given a QID']:,} places, "
            f"{stats['partnerships given a QID'] + stats['created']:,} partnerships"
        )
        out(f"  citations:               {stats['citations created']:,} created, "
            f"{stats['citation links created']:,} links created")
        self.report_footer(dry_run)
