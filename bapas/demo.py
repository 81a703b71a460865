"""Demo data is seeded by each app in turn; apps register their seeder in AppConfig.ready(),
so this module never imports them."""

from collections.abc import Callable

_seeders: list[tuple[int, str, Callable[..., dict]]] = []


def demo_seeder(*, order: int, name: str):
    def register(func):
        if all(existing != name for _order, existing, _func in _seeders):
            _seeders.append((order, name, func))
        return func

    return register


def seeders() -> list[tuple[str, Callable[..., dict]]]:
    return [(name, func) for _order, name, func in sorted(_seeders, key=lambda entry: entry[0])]
