"""Every Firestore query in services/ (and shared/) that needs a composite index has one in
infra/firestore_indexes.json, and every declared index is needed by some query.

A static pass over the source (no emulator: the emulator never asks for indexes). Per module:

- a *query* is a chain of `.where(...)` / `.order_by(...)` (through `.limit`, `.start_after`, …)
  rooted at a collection (`tx.collection("x")`, `_col(db, X)`, `db.collection(collection_name(S, "x"))`);
- a local variable assigned such a chain joins later chains rooted at it (`q = q.where(...)`,
  including inside nested functions and loops); a module function that returns a query lends its
  operations to each call site; a module function that takes a query parameter and orders/filters
  it (`_halaman(q, ...)`) adds those operations to the query passed in;
- a field given by a loop variable over a literal tuple (`for nama in ("a", "b"): q.where(nama, ...)`)
  is each of those fields, optionally; operations under `if`/`for` are optional.

What Firestore needs (native mode):
- equality only (`==`, `in`, `array_contains`, any number of fields): nothing — single-field indexes
  are merged;
- one field only (filter and/or order on the same field): the automatic single-field index;
- otherwise the sort *suffix* S = order_by fields (+ range fields not ordered on, ascending) needs
  either one exact composite (all equality fields, then S) — only when no field is optional — or,
  for index merging, one composite (f, S…) per possible equality field f; with no equality field,
  a composite of S itself.
"""
from __future__ import annotations

import ast
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INDEXES = ROOT / "infra" / "firestore_indexes.json"
SCANNED = [ROOT / "services", ROOT / "shared"]

QUERY_METHODS = {"where", "order_by", "limit", "limit_to_last", "start_after", "start_at", "end_before",
                 "end_at", "offset", "select"}
EQUALITY = {"==", "in", "array_contains", "array_contains_any"}
TERMINAL = {"stream", "get", "count", "sum", "avg", "aggregate", "on_snapshot"}
RANGE = {"<", "<=", ">", ">=", "!=", "not-in", "not_in"}


@dataclass(frozen=True)
class Op:
    fields: tuple[str | None, ...]      # candidates; None = not resolvable statically
    kind: str                           # "eq" | "range" | "order"
    direction: str = "ASCENDING"
    optional: bool = False
    array: bool = False                 # array_contains: the index field is array_config CONTAINS


@dataclass
class Query:
    where: str                          # file:line
    collection: str | None
    ops: list[Op] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# the scanner
# ----------------------------------------------------------------------------------------------

def _service_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "services" else None


class _Module:
    def __init__(self, path: Path, source: str, constants: dict[str, str], service: str | None):
        self.path, self.tree = path, ast.parse(source)
        self.service = service
        self.constants = dict(constants)
        self.constants.update(_constants(self.tree))
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for cls in (n for n in self.tree.body if isinstance(n, ast.ClassDef)):
            for n in cls.body:
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.setdefault(f"{cls.name}.{n.name}", n)
        # summaries: name -> (returned query ops or None, {param index: ops applied to it})
        self.returns: dict[str, Query | None] = {}
        self.param_ops: dict[str, dict[int, list[Op]]] = {}
        self.queries: list[Query] = []


def _constants(tree: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                out[target.id] = node.value.value
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for t, v in zip(target.elts, node.value.elts):
                    if isinstance(t, ast.Name) and isinstance(v, ast.Constant) and isinstance(v.value, str):
                        out[t.id] = v.value
    return out


class _Function:
    """Flow-insensitive reading of one top-level function (nested functions included)."""

    def __init__(self, mod: _Module, fn: ast.FunctionDef):
        self.mod, self.fn = mod, fn
        self.params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(fn):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.loop_values: dict[str, tuple[str, ...]] = {}
        for node in ast.walk(fn):
            if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name) \
                    and isinstance(node.iter, (ast.Tuple, ast.List)):
                vals = tuple(self._string(e) for e in node.iter.elts)
                if all(vals):
                    self.loop_values[node.target.id] = vals  # type: ignore[assignment]
        self.vars: dict[str, Query] = {}          # local query variables
        self.param_ops: dict[int, list[Op]] = {}

    # -- values -----------------------------------------------------------------------------
    def _string(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.mod.constants.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return self.mod.constants.get(node.attr)   # repo.BERKAS: a constant of the same service
        return None

    def _fields(self, node: ast.AST) -> tuple[tuple[str | None, ...], bool]:
        """Candidate field names of a field argument, and whether it is a loop choice."""
        s = self._string(node)
        if s is not None:
            return (s,), False
        if isinstance(node, ast.Name) and node.id in self.loop_values:
            return self.loop_values[node.id], True
        return (None,), False

    def _conditional(self, node: ast.AST) -> bool:
        cur = self.parents.get(node)
        while cur is not None and cur is not self.fn:
            if isinstance(cur, (ast.If, ast.For, ast.While, ast.IfExp, ast.Try, ast.comprehension)):
                return True
            cur = self.parents.get(cur)
        return False

    # -- one call of a query method ----------------------------------------------------------
    def _op(self, call: ast.Call) -> list[Op]:
        method = call.func.attr  # type: ignore[attr-defined]
        optional = self._conditional(call)
        if method == "order_by":
            if not call.args:
                return []
            fields, loop = self._fields(call.args[0])
            direction = "ASCENDING"
            for kw in call.keywords:
                if kw.arg == "direction" and "DESC" in ast.unparse(kw.value).upper():
                    direction = "DESCENDING"
            if len(call.args) > 1 and "DESC" in ast.unparse(call.args[1]).upper():
                direction = "DESCENDING"
            return [Op(fields, "order", direction, optional or loop)]
        if method != "where":
            return []
        filters = [kw.value for kw in call.keywords if kw.arg == "filter"] + \
                  [a for a in call.args if isinstance(a, (ast.Call, ast.IfExp))]
        triples = []
        if len(call.args) >= 2 and not filters:             # legacy where("f", "==", v)
            triples.append((call.args[0], call.args[1]))
        for f in filters:
            for g in ([f.body, f.orelse] if isinstance(f, ast.IfExp) else [f]):
                if isinstance(g, ast.Call) and len(g.args) >= 2:
                    triples.append((g.args[0], g.args[1]))
        out = []
        for field_node, op_node in triples:
            fields, loop = self._fields(field_node)
            op = op_node.value if isinstance(op_node, ast.Constant) else None
            kind = "eq" if op in EQUALITY else "range" if op in RANGE else "range"
            out.append(Op(fields, kind, "ASCENDING", optional or loop, array=op in ("array_contains", "array_contains_any")))
        # an IfExp of two filters on the same field is one filter
        uniq = []
        for o in out:
            if o not in uniq:
                uniq.append(o)
        return uniq

    # -- a chain expression: returns the query it denotes (shared object for variables) --------
    def chain(self, node: ast.AST) -> tuple[Query | None, int | None]:
        """(query, param index) of an expression; ops along the chain are added to the query."""
        ops: list[Op] = []
        cur = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in TERMINAL:
            cur = cur.func.value
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute) and cur.func.attr in QUERY_METHODS:
            ops = self._op(cur) + ops
            cur = cur.func.value
        query, param = self._root(cur, node)
        if query is not None:
            for o in ops:
                if o not in query.ops:
                    query.ops.append(o)
        elif param is not None:
            lst = self.param_ops.setdefault(param, [])
            lst += [o for o in ops if o not in lst]
        return query, param

    def _root(self, cur: ast.AST, whole: ast.AST) -> tuple[Query | None, int | None]:
        if isinstance(cur, ast.Name):
            if cur.id in self.vars:
                return self.vars[cur.id], None
            if cur.id in self.params:
                return None, self.params.index(cur.id)
            return None, None
        if isinstance(cur, ast.Call):
            name = cur.func.id if isinstance(cur.func, ast.Name) else None
            if name and name in self.mod.returns:
                returned = self.mod.returns[name]
                if returned is None:
                    return None, None
                q = Query(self._where(whole), returned.collection or self._collection(cur), list(returned.ops))
                self.mod.queries.append(q)
                return q, None
            attr = cur.func.attr if isinstance(cur.func, ast.Attribute) else name
            if attr in ("collection", "_col", "collection_group") or (name and name.endswith("_col")):
                q = Query(self._where(whole), self._collection(cur))
                self.mod.queries.append(q)
                return q, None
        return None, None

    def _collection(self, call: ast.Call) -> str | None:
        names = []
        for a in call.args:
            if isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "collection_name" and len(a.args) == 2:
                names.append(self._string(a.args[1]))
            else:
                names.append(self._string(a))
        name = next((n for n in reversed(names) if n), None)
        if name is None:
            return None
        return name if "__" in name or not self.mod.service else f"{self.mod.service}__{name}"

    def _where(self, node: ast.AST) -> str:
        return f"{self.mod.path.relative_to(ROOT) if ROOT in self.mod.path.parents else self.mod.path.name}:{node.lineno}"

    # -- the whole function -------------------------------------------------------------------
    def run(self) -> Query | None:
        returned: Query | None = None
        nodes = sorted((n for n in ast.walk(self.fn) if hasattr(n, "lineno")), key=lambda n: (n.lineno, n.col_offset))
        handled: set[int] = set()
        for node in nodes:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                q, _ = self.chain(node.value)
                self._mark(node.value, handled)
                if q is not None:
                    prev = self.vars.get(node.targets[0].id)
                    if prev is not None and prev is not q:
                        q.ops[:0] = [o for o in prev.ops if o not in q.ops]
                        if prev in self.mod.queries:
                            self.mod.queries.remove(prev)
                    self.vars[node.targets[0].id] = q
            elif isinstance(node, ast.Call) and id(node) not in handled:
                if isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS:
                    self.chain(node)
                    self._mark(node, handled)
                elif isinstance(node.func, ast.Name) and node.func.id in self.mod.param_ops:
                    for i, arg in enumerate(node.args):
                        added = self.mod.param_ops[node.func.id].get(i)
                        if not added:
                            continue
                        q, param = self.chain(arg)
                        self._mark(arg, handled)
                        if q is not None:
                            q.ops += [o for o in added if o not in q.ops]
                        elif param is not None:
                            lst = self.param_ops.setdefault(param, [])
                            lst += [o for o in added if o not in lst]
            elif isinstance(node, ast.Return) and node.value is not None and self.parents.get(node) is self.fn:
                q, _ = self.chain(node.value)
                self._mark(node.value, handled)
                returned = q or returned
        return returned

    @staticmethod
    def _mark(node: ast.AST, handled: set[int]) -> None:
        cur = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            handled.add(id(cur))
            cur = cur.func.value


def scan_source(path: Path, source: str, constants: dict[str, str] | None = None,
                service: str | None = None) -> list[Query]:
    mod = _Module(path, source, constants or {}, service)
    for _ in range(3):                      # callees before callers, whatever the order in the file
        mod.queries = []
        for name, fn in mod.functions.items():
            f = _Function(mod, fn)
            mod.returns[name] = f.run()
            mod.param_ops[name] = f.param_ops
    return mod.queries


def scan() -> list[Query]:
    queries: list[Query] = []
    for base in SCANNED:
        by_service: dict[Path, list[Path]] = {}
        for path in sorted(base.rglob("*.py")):
            if "bench" in path.parts:
                continue
            key = path.relative_to(ROOT).parts[:2]
            by_service.setdefault(Path(*key), []).append(path)
        for files in by_service.values():
            constants: dict[str, str] = {}
            for path in files:
                constants.update(_constants(ast.parse(path.read_text())))
            for path in files:
                queries += scan_source(path, path.read_text(), constants, _service_of(path))
    return queries


# ----------------------------------------------------------------------------------------------
# what a query needs, and whether the declared indexes give it
# ----------------------------------------------------------------------------------------------

def _index_key(idx: dict) -> tuple:
    return idx["collection"], tuple((f["field"], f.get("order") or f"ARRAY_{f.get('array_config')}") for f in idx["fields"])


def requirement(q: Query) -> tuple[str, list[tuple]] | None:
    """None (no composite needed) or (mode, acceptable index sets): the query is served when every
    index of at least one set exists."""
    eq = [o for o in q.ops if o.kind == "eq"]
    rng = [o for o in q.ops if o.kind == "range"]
    order = [o for o in q.ops if o.kind == "order"]
    names = {f for o in q.ops for f in o.fields}
    if not rng and not order:
        return None                                         # equality only: merged single-field indexes
    if len(names) == 1 and None not in names:
        return None                                         # one field: automatic single-field index
    if None in names:
        raise AssertionError(f"{q.where}: a field of an ordered/range query is not a literal; "
                             "the index check cannot see it")
    if q.collection is None:
        raise AssertionError(f"{q.where}: collection of a query that needs an index is not resolvable")
    suffix: list[tuple[str, str]] = []
    for o in order:
        suffix.append((o.fields[0], o.direction))
    for o in rng:
        if o.fields[0] not in [s[0] for s in suffix]:
            suffix.append((o.fields[0], "ASCENDING"))
    suffix = [s for s in suffix if s[0] not in {f for o in eq for f in o.fields}] or suffix
    eq_fields = sorted({(f, o.array) for o in eq for f in o.fields})
    options = []
    if not eq_fields:
        options.append([(q.collection, tuple(suffix))])
    else:
        merged = [(q.collection, ((f, "ARRAY_CONTAINS" if arr else "ASCENDING"),) + tuple(suffix)) for f, arr in eq_fields]
        options.append(merged)
        if not any(o.optional for o in eq) and len(eq_fields) > 1:
            options.append([(q.collection, tuple((f, "ARRAY_CONTAINS" if arr else "ASCENDING") for f, arr in eq_fields)
                             + tuple(suffix))])
    return ("indexed", options)


def _equivalent(need: tuple, have: set[tuple], n_suffix: int) -> bool:
    """An equality field may be ASCENDING or DESCENDING in the index; the exact composite's equality
    prefix may come in any order."""
    coll, fields = need
    for c, hf in have:
        if c != coll or len(hf) != len(fields):
            continue
        n_eq = len(fields) - n_suffix
        if sorted(f for f, _ in hf[:n_eq]) == sorted(f for f, _ in fields[:n_eq]) and \
                all((d == "ARRAY_CONTAINS") == (nd == "ARRAY_CONTAINS") for (f, d), (nf, nd) in
                    zip(sorted(hf[:n_eq]), sorted(fields[:n_eq]))) and tuple(hf[n_eq:]) == tuple(fields[n_eq:]):
            return True
    return False


def missing(queries: list[Query], declared: list[dict]) -> tuple[list[str], set[tuple]]:
    have = {_index_key(i) for i in declared}
    problems, used = [], set()
    for q in queries:
        req = requirement(q)
        if req is None:
            continue
        _, options = req
        n_suffix = len(_suffix_of(q))
        ok = [opt for opt in options if all(_equivalent(n, have, n_suffix) for n in opt)]
        if ok:
            for need in ok[0]:
                used |= {h for h in have if _equivalent(need, {h}, n_suffix)}
        else:
            shown = " or ".join("{" + "; ".join(f"{c} ({', '.join(f'{f} {d}' for f, d in fs)})" for c, fs in opt) + "}"
                                for opt in options)
            problems.append(f"{q.where}: needs {shown}")
    return problems, used


def _suffix_of(q: Query) -> list[tuple[str, str]]:
    eqf = {f for o in q.ops if o.kind == "eq" for f in o.fields}
    suffix = [(o.fields[0], o.direction) for o in q.ops if o.kind == "order"]
    suffix += [(o.fields[0], "ASCENDING") for o in q.ops if o.kind == "range" and o.fields[0] not in [s[0] for s in suffix]]
    return [s for s in suffix if s[0] not in eqf] or suffix


def _declared() -> list[dict]:
    return json.loads(INDEXES.read_text())["composite"]


# ----------------------------------------------------------------------------------------------
# the checks
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def queries() -> list[Query]:
    return scan()


def test_every_multi_field_query_has_its_index(queries):
    problems, _ = missing(queries, _declared())
    assert not problems, "add these to infra/firestore_indexes.json (then make infra-sync):\n" + "\n".join(problems)


def test_every_declared_index_is_needed(queries):
    declared = _declared()
    _, used = missing(queries, declared)
    stale = [i for i in declared if _index_key(i) not in used]
    assert not stale, f"indexes no query needs (each costs a write per document): {stale}"


def test_declared_indexes_are_well_formed():
    seen = set()
    for idx in _declared():
        assert "__" in idx["collection"], idx
        assert len(idx["fields"]) >= 2, f"a composite index has at least two fields: {idx}"
        for f in idx["fields"]:
            assert set(f) <= {"field", "order", "array_config"} and f["field"], f
            assert (f.get("order") in ("ASCENDING", "DESCENDING")) != (f.get("array_config") == "CONTAINS"), f
        assert idx.get("why"), f"say which query needs it: {idx}"
        assert _index_key(idx) not in seen, f"duplicate: {idx}"
        seen.add(_index_key(idx))


def test_scanner_sees_the_known_queries(queries):
    """The scan is not vacuous: the paged lists are found with their fields and directions."""
    def shape(q):
        return (q.collection, sorted((tuple(map(str, o.fields)), o.kind, o.direction if o.kind == "order" else "") for o in q.ops))

    shapes = [shape(q) for q in queries]
    karya = ("karya__karya", sorted([(("pemilik_id",), "eq", ""), (("urutan",), "order", "DESCENDING"),
                                     (("id",), "order", "DESCENDING")]))
    assert karya in shapes
    assert any(c == "umpan_balik__notifikasi" and (("urutan",), "order", "DESCENDING") in ops for c, ops in shapes)
    log = [q for q in queries if q.collection == "sinkro__log" and any(o.kind == "order" for o in q.ops)]
    assert log, "sinkro's log pages (_query_log through _halaman) not seen"
    assert any({"instansi_id", "nomor_galat", "nip"} <= {f for o in q.ops for f in o.fields} for q in log)
    assert any(o.optional for q in log for o in q.ops)
    kinerja = [q for q in queries if q.collection == "kinerja__rencana"
               and {"atasan.id", "status"} <= {f for o in q.ops for f in o.fields}]
    assert kinerja and requirement(kinerja[0]) is None          # equality only: merged, no composite


SNIPPET = textwrap.dedent('''
    from google.cloud.firestore_v1.base_query import FieldFilter
    TUGAS = "tugas"

    def _col(db, nama):
        return db.collection(collection_name("contoh", nama))

    def _halaman(q, batas):
        return list(q.order_by("dibuat", direction="DESCENDING").limit(batas).stream())

    def _dasar(db, kelas):
        q = _col(db, TUGAS).where(filter=FieldFilter("kelas", "==", kelas))
        for nama in ("mapel", "status"):
            if nama:
                q = q.where(filter=FieldFilter(nama, "==", 1))
        return q

    def daftar(db, kelas):
        return _halaman(_dasar(db, kelas), 10)

    def rentang(db):
        return db.collection("contoh__nilai").where(filter=FieldFilter("a", ">", 1)).where(filter=FieldFilter("b", "<", 2)).stream()

    def sama_saja(db):
        return db.collection("contoh__nilai").where(filter=FieldFilter("a", "==", 1)).where(filter=FieldFilter("b", "==", 2)).stream()
''')


def test_a_new_query_without_its_index_fails():
    """A deliberate drift: a query added without an index is reported, with the index it needs."""
    qs = scan_source(Path("contoh.py"), SNIPPET, {}, "contoh")
    problems, _ = missing(qs, [])
    assert any("contoh__tugas" in p and "kelas ASCENDING, dibuat DESCENDING" in p and "mapel" in p for p in problems), problems
    assert any("contoh__nilai" in p and "a ASCENDING, b ASCENDING" in p for p in problems), problems
    assert len(problems) == 2, problems                     # equality-only sama_saja needs nothing

    merged = [{"collection": "contoh__tugas", "fields": [{"field": f, "order": "ASCENDING"},
                                                          {"field": "dibuat", "order": "DESCENDING"}], "why": "x"}
              for f in ("kelas", "mapel", "status")]
    exact_only = [{"collection": "contoh__tugas", "fields": [{"field": "kelas", "order": "ASCENDING"},
                                                              {"field": "dibuat", "order": "DESCENDING"}]}]
    problems, _ = missing(qs, merged)
    assert not any("contoh__tugas" in p for p in problems), problems
    problems, _ = missing(qs, exact_only)                   # optional filters: (kelas, dibuat) alone is not enough
    assert any("contoh__tugas" in p for p in problems), problems
