"""Our own suite uses the same kit as any plugin author (:mod:`portal.testing`), and one
browser kit for every folder's browser tests (:mod:`tests.browser.kit`)."""

pytest_plugins = ["portal.testing", "tests.browser.kit"]
