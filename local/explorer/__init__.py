"""The local API explorer: the page at `/` of the gateway (index.html), Swagger UI per service
(docs.html, assets from the npm package swagger-ui-dist in node_modules/, git-ignored) and the
AsyncAPI document of every topic rendered as plain server-side HTML (this module).

    python -m local.explorer > asyncapi.html     # the same page, offline
"""
from __future__ import annotations

import html
from typing import Any

from shared.asyncapi import asyncapi_document

GROUPS = [("referensi", "Masuk dari sistem kementerian (inbound reference data)"),
          ("karya", "Bukti Karya"), ("umpan_balik", "Umpan Balik"), ("kinerja", "Pengelolaan Kinerja"),
          ("sinkro", "Sinkro PMM ke e-Kinerja"), ("jadwal", "Cloud Scheduler (jadwal)")]


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: dict[str, Any]) -> str:
    """A short readable type: `string (date)`, `list of UnorData`, `SkpData | null`, with links to schemas."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return f'<a href="#skema-{_e(name)}">{_e(name)}</a>'
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0])
    kind = schema.get("type", "any")
    if kind == "array":
        return "list of " + _type(schema.get("items", {}))
    if kind == "object" and "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
        return "map of " + _type(schema["additionalProperties"])
    text = _e(kind)
    if "format" in schema:
        text += f" ({_e(schema['format'])})"
    if "enum" in schema:
        text += ": " + ", ".join(f"<code>{_e(v)}</code>" for v in schema["enum"])
    if "const" in schema:
        text += f" = <code>{_e(schema['const'])}</code>"
    return text


def _fields(schema: dict[str, Any]) -> str:
    props = schema.get("properties", {})
    if not props:
        return "<p><em>(tanpa isian / no fields)</em></p>"
    required = set(schema.get("required", []))
    rows = []
    for name, prop in props.items():
        limits = [f"{k} {prop[k]}" for k in ("maxLength", "minimum", "maximum", "minLength") if k in prop]
        desc = prop.get("description", "")
        if "default" in prop and prop["default"] not in (None, [], ""):
            desc = (desc + " " if desc else "") + f"(default: {prop['default']})"
        rows.append(f"<tr><td><code>{_e(name)}</code></td><td>{_type(prop)}</td>"
                    f"<td>{'ya' if name in required else ''}</td><td>{_e(desc)}"
                    f"{'<br><small>' + _e(', '.join(limits)) + '</small>' if limits else ''}</td></tr>")
    return ("<table><thead><tr><th>isian (field)</th><th>tipe (type)</th><th>wajib (required)</th>"
            "<th>keterangan (description)</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def render_asyncapi_html(doc: dict[str, Any] | None = None) -> str:
    doc = doc or asyncapi_document()
    messages, schemas = doc["components"]["messages"], doc["components"]["schemas"]
    consumers: dict[str, list[str]] = {}
    for op_id, op in doc["operations"].items():
        if op["action"] == "receive":
            channel = _ref_name(op["channel"]["$ref"])
            consumers.setdefault(channel, []).append(f"<code>{_e(op_id)}</code> — {_e(op.get('summary', ''))}")
    by_group: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, channel in sorted(doc["channels"].items(), key=lambda kv: kv[1]["address"]):
        prefix = channel["address"].split(".", 1)[0]
        by_group.setdefault(prefix, []).append((key, channel))
    known = [g for g, _ in GROUPS] + sorted(set(by_group) - {g for g, _ in GROUPS})
    titles = dict(GROUPS)
    toc, body = [], []
    for group in known:
        if group not in by_group:
            continue
        toc.append(f'<li><a href="#grup-{_e(group)}">{_e(titles.get(group, group))}</a><ul>'
                   + "".join(f'<li><a href="#topik-{_e(k)}"><code>{_e(c["address"])}</code></a></li>'
                             for k, c in by_group[group]) + "</ul></li>")
        body.append(f'<h2 id="grup-{_e(group)}">{_e(titles.get(group, group))}</h2>')
        for key, channel in by_group[group]:
            (msg_ref,) = [m["$ref"] for m in channel["messages"].values()]
            message = messages[_ref_name(msg_ref)]
            payload = message["payload"]
            payload_name = _ref_name(payload["$ref"]) if "$ref" in payload else message["name"]
            payload_schema = schemas.get(payload_name, payload)
            subs = consumers.get(key, [])
            body.append(
                f'<section class="topik" id="topik-{_e(key)}"><h3><code>{_e(channel["address"])}</code></h3>'
                f'<p>{_e(channel.get("description", ""))}</p>'
                f'<p><strong>Penerbit (producer):</strong> <code>{_e(channel.get("x-producer", "?"))}</code><br>'
                f'<strong>Pelanggan (consumers):</strong> '
                + ("<br>".join(subs) if subs else "<em>belum ada (none yet)</em>") + "</p>"
                f'<p><strong>Muatan (payload):</strong> <a href="#skema-{_e(payload_name)}">{_e(payload_name)}</a>'
                f' · atribut CloudEvents: <code>ce-type={_e(channel["address"])}</code>, '
                f'<code>{_e(message["headers"]["properties"]["ce-dataschema"]["const"])}</code></p>'
                + _fields(payload_schema) + "</section>")
    body.append('<h2 id="skema">Skema (schemas)</h2>')
    for name in sorted(schemas):
        body.append(f'<section class="skema" id="skema-{_e(name)}"><h3>{_e(name)}</h3>'
                    f'<p>{_e(schemas[name].get("description", ""))}</p>{_fields(schemas[name])}</section>')
    info = doc["info"]
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Peristiwa (events) — {_e(info['title'])}</title>
<link rel="stylesheet" href="/_explorer/explorer.css"></head>
<body class="asyncapi">
<header><a href="/">← Penjelajah API (API explorer)</a>
<h1>Daftar peristiwa Pub/Sub <small>(AsyncAPI {_e(doc['asyncapi'])}: {_e(info['title'])} {_e(info['version'])})</small></h1>
<p>{_e(info.get('description', ''))}</p>
<p>Setiap pesan: data = muatan JSON, atribut = CloudEvents (<code>ce-id</code>, <code>ce-source</code>,
<code>ce-type</code>, <code>ce-time</code>, <code>ce-dataschema</code>). Dokumen AsyncAPI lengkap dengan
contoh pesan (the machine-readable document, with an example per message):
<a href="/_explorer/asyncapi.json" download>asyncapi.json</a> (<code>docs/asyncapi.json</code>; contoh penerbit:
<code>examples/publish_*.py</code>).</p></header>
<nav><h2>Topik (topics): {len(doc['channels'])}</h2><ul>{''.join(toc)}</ul></nav>
<main>{''.join(body)}</main></body></html>
"""

