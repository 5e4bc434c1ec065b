"""The billing core stays light: importing it pulls in neither the TUI, httpx nor Babel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "mktui.core.money",
    "mktui.core.taxid",
    "mktui.core.pricing",
    "mktui.core.pricing_types",
    "mktui.core.pricing_inputs",
    "mktui.core.billing_calendar",
    "mktui.config.profiles",
    "mktui.config.profile",
    "mktui.config.toml_file",
    "mktui.config.private_file",
]
# stdnum is here too: its util module imports pydoc and ssl, so taxid imports it lazily.
HEAVY = ["textual", "rich", "httpx", "babel", "stdnum"]

PROBE = """
import json, sys
for name in {modules!r}:
    __import__(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def _loaded_after_importing(modules: list[str]) -> list[str]:
    code = PROBE.format(modules=modules, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_core_modules_import_nothing_heavy():
    assert _loaded_after_importing(CORE) == []


@pytest.mark.parametrize("module", CORE)
def test_each_core_module_alone_imports_nothing_heavy(module):
    assert _loaded_after_importing([module]) == []


def test_the_probe_can_see_a_heavy_import():
    # Guards the test above against passing vacuously (e.g. a probe that never looks).
    assert "babel" in _loaded_after_importing(["babel.numbers"])


# Every name docs/architecture.md promises from mktui.core.pricing (and what it always offered),
# still there after the module was split in four.
PRICING_NAMES = [
    "MAX_DEVICES",
    "PLANS",
    "SANDBOX_PRICES",
    "Preview",
    "PreviewLine",
    "PriceTable",
    "PricingError",
    "billing_today",
    "check_tax_id_for_currency",
    "month_end",
    "next_first",
    "preview_activation",
    "preview_change",
    "preview_decrease",
    "preview_increase",
    "preview_renewal",
    "price_table",
    "remaining_days",
]


def test_every_pricing_name_is_importable_from_mktui_pricing():
    import mktui.core.pricing as pricing

    missing = [name for name in PRICING_NAMES if not hasattr(pricing, name)]
    assert missing == []
    assert set(PRICING_NAMES) <= set(pricing.__all__)


def test_the_split_modules_hand_out_the_same_objects():
    from mktui.core import billing_calendar, pricing, pricing_inputs, pricing_types

    assert pricing.PricingError is pricing_types.PricingError
    assert pricing.Preview is pricing_types.Preview
    assert pricing.billing_today is billing_calendar.billing_today
    assert pricing.SANDBOX_PRICES is pricing_inputs.SANDBOX_PRICES
    assert pricing.check_tax_id_for_currency is pricing_inputs.check_tax_id_for_currency


CONFIG_NAMES = [
    "APP_NAME",
    "CONFIG_FILENAME",
    "DEFAULT_API_URL",
    "DEFAULT_LOCALE",
    "DEFAULT_PROFILE",
    "Config",
    "ConfigError",
    "Profile",
    "default_config_path",
    "dump_config",
    "parse_config",
    "validate_api_url",
    "validate_email",
    "validate_locale",
    "validate_profile_name",
    "write_private_file",
]


def test_every_config_name_is_importable_from_mktui_config():
    import mktui.config.profiles as config
    from mktui.config import private_file
    from mktui.config import profile as config_profile
    from mktui.config import toml_file as config_toml

    assert [name for name in CONFIG_NAMES if not hasattr(config, name)] == []
    assert config.Profile is config_profile.Profile
    assert config.ConfigError is config_profile.ConfigError
    assert config.parse_config is config_toml.parse_config
    assert config.write_private_file is private_file.write_private_file
