# Uncaught exception raised with "from": the cause's traceback, then "The above exception was the direct cause".
class ConfigError(Exception):
    pass


def parse_port(text):
    try:
        return int(text)
    except ValueError as exc:
        raise ConfigError("bad port: " + text) from exc


print(parse_port("8080"))
parse_port("eighty")
