"""The public API of a crate, one line per item, from rustdoc's JSON output.

    python3 ci/api.py target/doc/pymem.json > api/pymem.txt

Lines name every public item reachable from the crate root (through modules and
re-exports): modules, types with their public fields and variants, traits with their
items, functions and methods with their signatures, constants, and the trait impls of
public types. ci/api.sh compares them with the committed baseline in api/. Items marked
#[doc(hidden)] are left out (they are not API)."""

import json
import sys


def main(path):
    doc = json.load(open(path))
    index = doc["index"]
    lines = set()
    seen = set()

    def item(i):
        return index.get(str(i)) or index.get(i)

    def hidden(it):
        return any("hidden" in str(a) for a in it.get("attrs", []))

    def walk(i, prefix):
        it = item(i)
        if it is None or hidden(it) or (i, prefix) in seen:
            return
        seen.add((i, prefix))
        kind, inner = next(iter(it["inner"].items()))
        name = it.get("name")
        here = f"{prefix}::{name}" if prefix else name
        if kind == "module":
            lines.add(f"mod {here}")
            for child in inner["items"]:
                walk(child, here)
        elif kind == "use":
            if inner.get("id") is None or inner.get("is_glob"):
                lines.add(f"use {prefix}::{inner['source']}")
                return
            target = item(inner["id"])
            if target is None:  # from another crate
                lines.add(f"use {prefix}::{inner['name']} = {inner['source']}")
                return
            target = dict(target, name=inner["name"])
            index_key = f"reexport:{inner['id']}:{prefix}"
            index[index_key] = target
            walk(index_key, prefix)
        elif kind in ("struct", "enum", "union"):
            lines.add(f"{kind} {here}{generics(inner['generics'])}")
            members(inner, here)
            impls(inner.get("impls", []), here)
        elif kind == "trait":
            unsafe = "unsafe " if inner.get("is_unsafe") else ""
            lines.add(f"{unsafe}trait {here}{generics(inner['generics'])}")
            for child in inner["items"]:
                assoc(child, here)
        elif kind == "function":
            lines.add(f"fn {here}{signature(inner)}")
        elif kind == "constant":
            lines.add(f"const {here}: {ty(inner['type'])}")
        elif kind == "static":
            lines.add(f"static {here}: {ty(inner['type'])}")
        elif kind == "type_alias":
            lines.add(f"type {here} = {ty(inner['type'])}")
        elif kind in ("macro", "proc_macro"):
            lines.add(f"macro {here}")
        else:
            lines.add(f"{kind} {here}")

    def members(inner, here):
        body = inner.get("kind")
        if isinstance(body, dict) and "plain" in body:
            for f in body["plain"]["fields"]:
                field = item(f)
                if field and not hidden(field) and field.get("visibility") == "public":
                    lines.add(f"field {here}.{field['name']}: {ty(field['inner']['struct_field'])}")
        for v in inner.get("variants", []):
            variant = item(v)
            if variant and not hidden(variant):
                lines.add(f"variant {here}::{variant['name']}{variant_shape(variant)}")

    def variant_shape(variant):
        kind = variant["inner"]["variant"]["kind"]
        if kind == "plain":
            return ""
        if "tuple" in kind:
            fields = [item(f) for f in kind["tuple"] if f is not None]
            return "(" + ", ".join(ty(f["inner"]["struct_field"]) for f in fields if f) + ")"
        fields = [item(f) for f in kind["struct"]["fields"]]
        return " { " + ", ".join(f"{f['name']}: {ty(f['inner']['struct_field'])}" for f in fields if f) + " }"

    def impls(ids, here):
        for i in ids:
            imp = item(i)
            if imp is None or hidden(imp):
                continue
            inner = imp["inner"]["impl"]
            if inner.get("is_synthetic") or inner.get("blanket_impl") is not None:
                continue
            trait = inner.get("trait")
            if trait is not None:
                neg = "!" if inner.get("is_negative") else ""
                lines.add(f"impl {neg}{path(trait)} for {ty(inner['for'])}")
                continue
            for child in inner["items"]:
                method = item(child)
                if method and not hidden(method) and method.get("visibility") == "public":
                    kind, body = next(iter(method["inner"].items()))
                    if kind == "function":
                        lines.add(f"fn {here}::{method['name']}{signature(body)}")
                    elif kind == "assoc_const":
                        lines.add(f"const {here}::{method['name']}: {ty(body['type'])}")

    def assoc(i, here):
        a = item(i)
        if a is None or hidden(a):
            return
        kind, body = next(iter(a["inner"].items()))
        if kind == "function":
            lines.add(f"trait-fn {here}::{a['name']}{signature(body)}")
        elif kind == "assoc_const":
            lines.add(f"trait-const {here}::{a['name']}: {ty(body['type'])}")
        elif kind == "assoc_type":
            lines.add(f"trait-type {here}::{a['name']}")

    def generics(g):
        params = []
        for p in g.get("params", []):
            kind = p.get("kind", {})
            if "lifetime" in kind:
                params.append(p["name"])
            elif "type" in kind:
                bounds = [bound(b) for b in kind["type"].get("bounds", [])]
                params.append(p["name"] + (": " + " + ".join(bounds) if bounds else ""))
            elif "const" in kind:
                params.append(f"const {p['name']}: {ty(kind['const']['type'])}")
        return f"<{', '.join(params)}>" if params else ""

    def bound(b):
        if "trait_bound" in b:
            return path(b["trait_bound"]["trait"])
        if "outlives" in b:
            return b["outlives"]
        return json.dumps(b, sort_keys=True)

    def signature(f):
        sig = f["sig"]
        header = f.get("header", {})
        prefix = ("const " if header.get("is_const") else "") + ("unsafe " if header.get("is_unsafe") else "")
        args = ", ".join(f"{n}: {ty(t)}" for n, t in sig["inputs"])
        out = f" -> {ty(sig['output'])}" if sig.get("output") is not None else ""
        return f"{generics(f['generics'])}({args}){out}" if not prefix else f" [{prefix.strip()}]{generics(f['generics'])}({args}){out}"

    def path(p):
        args = p.get("args")
        return p["path"] + (angle(args) if args else "")

    def angle(args):
        if "angle_bracketed" in args:
            parts = []
            for a in args["angle_bracketed"]["args"]:
                if "type" in a:
                    parts.append(ty(a["type"]))
                elif "lifetime" in a:
                    parts.append(a["lifetime"])
                else:
                    parts.append(json.dumps(a, sort_keys=True))
            for c in args["angle_bracketed"].get("constraints", []):
                parts.append(c["name"] + " = " + json.dumps(c.get("binding"), sort_keys=True))
            return f"<{', '.join(parts)}>" if parts else ""
        if "parenthesized" in args:
            p = args["parenthesized"]
            out = f" -> {ty(p['output'])}" if p.get("output") is not None else ""
            return "(" + ", ".join(ty(t) for t in p["inputs"]) + ")" + out
        return ""

    def ty(t):
        if t is None:
            return "()"
        if isinstance(t, str):
            return t
        kind, v = next(iter(t.items()))
        if kind == "resolved_path":
            return path(v)
        if kind in ("generic", "primitive"):
            return v
        if kind == "borrowed_ref":
            lt = (v.get("lifetime") or "")
            mut = "mut " if v.get("is_mutable") else ""
            return f"&{lt + ' ' if lt else ''}{mut}{ty(v['type'])}"
        if kind == "tuple":
            return "(" + ", ".join(ty(x) for x in v) + ")"
        if kind == "slice":
            return f"[{ty(v)}]"
        if kind == "array":
            return f"[{ty(v['type'])}; {v['len']}]"
        if kind == "raw_pointer":
            return f"*{'mut' if v.get('is_mutable') else 'const'} {ty(v['type'])}"
        if kind == "impl_trait":
            return "impl " + " + ".join(bound(b) for b in v)
        if kind == "dyn_trait":
            return "dyn " + " + ".join(path(x["trait"]) for x in v["traits"])
        if kind == "qualified_path":
            return f"<{ty(v['self_type'])}>::{v['name']}"
        if kind == "function_pointer":
            sig = v["sig"]
            args = ", ".join(ty(x) for _, x in sig["inputs"])
            out = f" -> {ty(sig['output'])}" if sig.get("output") is not None else ""
            return f"fn({args}){out}"
        return json.dumps(t, sort_keys=True)

    walk(doc["root"], "")
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main(sys.argv[1])
