# Uncaught custom exception where each failing line is an assignment of a plain call or a raise: no caret lines.
class ValidationError(Exception):
    pass


def validate(record):
    if "id" not in record:
        raise ValidationError("record has no id", record)
    return record["id"]


def process(records):
    for record in records:
        checked = validate(record)
        print("ok", checked)
    return len(records)


count = process([{"id": 1}, {"name": "x"}])
