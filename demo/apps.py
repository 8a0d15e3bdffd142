from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Made-up content for development, tests and benchmarks (`load_demo_content`, `load_bench_data`).

    A leaf app: it may use every other app, and none uses it; it has no models.
    """

    name = "demo"
    verbose_name = "Demo content"
