"""PUT replaces a whole resource, PATCH changes some of its fields (issue 23).

A write schema gives its optional fields defaults so that a POST may leave them out; a PUT built on
the same schema would then clear every field it left out (`PUT /equipment/{id}` with a status
only wiped the serial, kind, warranty and parameters). So:

- `replacing(WriteSchema)` is the PUT body: every field that has a default becomes required (a
  422 names each one missing). Write-only fields that are kept when left out (passwords,
  secrets: `keep`, and any load-only field that defaults to null) stay optional, as they were.
- `patching(WriteSchema)` is the PATCH body: any subset of the fields, each checked as the write
  schema checks it, nothing defaulted; an unknown field is a 422.
- `patched(current, changes, ...)` is the whole resource a PATCH asks for: the resource as the
  service answers it, cut to the write schema's fields, with the changed fields put over it
  (top-level fields; a nested object or list given is taken whole), validated as a PUT would
  be. The view then replaces the resource through the service's ordinary replace RPC
  (`replace_patched`), so every permission, isolation and consistency rule of the service
  applies unchanged. It is not atomic: a write between the read and the replace is overwritten,
  other fields included, as one PUT overwrites another (docs/api.md).
"""
import copy

from marshmallow import Schema, ValidationError, missing

from gateway.calls import call
from services.shared.errors import ValidationFailed
from services.shared.validation import flatten_messages


def _keeps_when_left_out(name, field, keep):
    return name in keep or (field.load_only and field.load_default is None)


def replacing(schema_class, keep=()):
    """The PUT body schema of `schema_class`."""
    overrides = {}
    for name, field in schema_class._declared_fields.items():
        if field.required or field.dump_only or field.load_default is missing:
            continue
        if _keeps_when_left_out(name, field, keep):
            continue
        whole = copy.copy(field)
        whole.required, whole.load_default = True, missing
        overrides[name] = whole
    name = schema_class.__name__.removesuffix("Schema").removesuffix("Write") + "ReplaceSchema"
    return type(name, (schema_class,), overrides)


def patching(schema_class):
    """The PATCH body schema of `schema_class`: its fields, all optional, without defaults and
    without the whole-resource checks (those run on the merged resource)."""
    fields = {}
    for name, field in schema_class._declared_fields.items():
        if field.dump_only:
            continue
        some = copy.copy(field)
        some.required, some.load_default = False, missing
        fields[name] = some
    name = schema_class.__name__.removesuffix("Schema").removesuffix("Write") + "PatchSchema"
    return Schema.from_dict(fields, name=name)


def patched(current, changes, patch_schema, write_schema):
    """The resource after `changes` (a loaded PATCH body), loaded by `write_schema`; a
    ValidationFailed naming the fields when the result is not a valid resource."""
    names = {field.data_key or name for name, field in write_schema.fields.items()
             if not field.dump_only}
    body = {name: value for name, value in current.items() if name in names}
    body.update(patch_schema.dump(changes))
    # A write-only field (a password) is not dumped: it goes over as given.
    body.update({name: changes[name] for name, field in patch_schema.fields.items()
                 if field.load_only and name in changes})
    try:
        return write_schema.load(body)
    except ValidationError as error:
        raise ValidationFailed.from_fields(flatten_messages(error.messages)) from None


def replace_patched(service, get_method, replace_method, ids, changes, patch_schema, write_schema,
                    part=None):
    """A PATCH through a service: read the resource (or its `part`, for a sub-resource such as a
    contract's payment), put the changes over it, replace it whole (as the caller: the service
    checks permission and isolation on both calls)."""
    current = call(service, get_method, *ids)
    whole = patched(current if part is None else current[part], changes, patch_schema(),
                    write_schema)
    return call(service, replace_method, *ids, schema=write_schema, data=whole)
