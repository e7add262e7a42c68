import pytest

# pytest explains a failed `assert` (values, diffs) only in modules it rewrites: the shared helpers too.
pytest.register_assert_rewrite("tests.helpers")
