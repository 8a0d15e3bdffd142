"""How feature apps plug into the base by convention: a module of a known name in each local app.

`demo` and `structure` (content loaders), `bench` (benchmark data) and `personal_data` (subject access,
erasure, retention) are found here, in `settings.LOCAL_APPS` order, so the base never imports a feature app.
"""

from importlib import import_module

from django.conf import settings


def local_app_modules(module_name, *, include_base=True):
    """Each local app's `<app>.<module_name>` module that exists, base app first (unless `include_base` is off)."""
    modules = []
    for app_name in settings.LOCAL_APPS:
        if app_name == "home" and not include_base:
            continue
        try:
            modules.append(import_module(f"{app_name}.{module_name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{app_name}.{module_name}":
                raise
    return modules
