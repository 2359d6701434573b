from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "steward.security"
    label = "security"
    verbose_name = "Security"
