"""A JSON Schema checker for the subset the OpenAPI document of Jack uses (draft 2020-12 as in
OpenAPI 3.1): type (one or a list), enum, const, required, properties, additionalProperties,
items, $ref, oneOf, pattern, minimum, maximum, minLength, maxLength. Standard library only.
"""
import re


class SchemaError(AssertionError):
    pass


def _type_ok(value, t):
    if t == "null":
        return value is None
    if t == "boolean":
        return isinstance(value, bool)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    raise SchemaError("unknown type %r in the schema" % t)


def check(value, schema, root, path="$"):
    """Raises SchemaError naming the first place where `value` breaks `schema`."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = root["components"]["schemas"].get(name)
        if target is None:
            raise SchemaError("%s: unresolved $ref %s" % (path, schema["$ref"]))
        return check(value, target, root, path)
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                check(value, option, root, path)
                return
            except SchemaError as e:
                errors.append(str(e))
        raise SchemaError("%s: matches no oneOf option: %s" % (path, "; ".join(errors)))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, t) for t in types):
            raise SchemaError("%s: %r is not of type %s" % (path, value, types))
    if "const" in schema and value != schema["const"]:
        raise SchemaError("%s: %r is not %r" % (path, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError("%s: %r is not one of %r" % (path, value, schema["enum"]))
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaError("%s: %r does not match %s" % (path, value, schema["pattern"]))
        if "minLength" in schema and len(value) < schema["minLength"]:
            raise SchemaError("%s: shorter than %d" % (path, schema["minLength"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaError("%s: longer than %d" % (path, schema["maxLength"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaError("%s: %r < %r" % (path, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            raise SchemaError("%s: %r > %r" % (path, value, schema["maximum"]))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                raise SchemaError("%s: required property %r is missing" % (path, k))
        for k, v in value.items():
            if k in props:
                check(v, props[k], root, "%s.%s" % (path, k))
            else:
                extra = schema.get("additionalProperties", True)
                if extra is False:
                    raise SchemaError("%s: property %r is not in the schema" % (path, k))
                if isinstance(extra, dict):
                    check(v, extra, root, "%s.%s" % (path, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            check(v, schema["items"], root, "%s[%d]" % (path, i))


def operation_for(doc, method, path):
    """The OpenAPI operation and path template that serve `method path` (path without query)."""
    parts = [p for p in path.split("/") if p]
    for template, ops in doc["paths"].items():
        tparts = [p for p in template.split("/") if p]
        if len(tparts) != len(parts):
            continue
        if all(t.startswith("{") or t == p for t, p in zip(tparts, parts)):
            op = ops.get(method.lower())
            if op is not None:
                # Prefer a literal match over a parameter one (/knowledge/search vs /{id}).
                return template, op
    return None, None


def best_operation(doc, method, path):
    parts = [p for p in path.split("/") if p]
    best = (None, None, -1)
    for template, ops in doc["paths"].items():
        tparts = [p for p in template.split("/") if p]
        if len(tparts) != len(parts) or method.lower() not in ops:
            continue
        if not all(t.startswith("{") or t == p for t, p in zip(tparts, parts)):
            continue
        literal = sum(1 for t in tparts if not t.startswith("{"))
        if literal > best[2]:
            best = (template, ops[method.lower()], literal)
    return best[0], best[1]


def check_response(doc, method, path, status, content_type, body_json):
    """Checks a response against the document: the status is documented for the operation and
    a JSON body matches its schema."""
    template, op = best_operation(doc, method, path)
    if op is None:
        raise SchemaError("%s %s is not in the OpenAPI document" % (method, path))
    responses = op["responses"]
    if str(status) not in responses:
        raise SchemaError("%s %s answered %d, which %s does not document (%s)" % (
            method, path, status, template, sorted(responses)))
    content = responses[str(status)].get("content")
    if not content or body_json is None:
        return
    media = content.get("application/json")
    if media is None or "json" not in (content_type or ""):
        return
    check(body_json, media["schema"], doc, "%s %s %d" % (method, template, status))
