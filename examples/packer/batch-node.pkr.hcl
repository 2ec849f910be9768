# Packer template fragment: check the image with batch-preflight before it is generalised.
# Add these provisioners to your own build, after the ones that install Docker, drivers, MPI...
# Requirements are those of the pool that will use the image (here: a GPU + InfiniBand pool of
# pool_vm_size that runs MPI jobs and mounts an Azure Blob volume). The build VM need not be of
# that size: in image mode, the checks that compare the machine with pool_vm_size (GPUs on the bus,
# InfiniBand ports, link widths) are skipped with that reason, and the rest is checked for it.
# The human report goes to the build log; a `fail` or `error` makes batch-preflight exit 1 and
# the build fail, after the JUnit and JSON reports have been downloaded.
#
# Everything runs as root on the build VM, so nothing goes through a fixed name in /tmp (another
# user could plant it): the binary, the reports and the exit code live in a directory made fresh
# under /var/lib (only root can create names there), the binary is downloaded there from the
# release and runs only when its SHA-256 is the one the release's SHA256SUMS lists for it, and a
# missing exit code fails the build.

variable "preflight_version" {
  type        = string
  default     = "0.1.0"
  description = "batch-preflight release to run, without the v"
}

variable "preflight_repository" {
  type        = string
  default     = "OWNER/batch-preflight"
  description = "GitHub repository (owner/name) that publishes the releases"
}

variable "pool_vm_size" {
  type        = string
  default     = "Standard_ND96isr_H100_v5"
  description = "VM size of the pool that will use the image"
}

build {
  sources = ["source.azure-arm.batch-node"]

  # (your provisioners that install the software go here)

  # A directory of our own (mkdir fails, and the build with it, if the name already exists), the
  # release's binary for this machine (x64, or arm64 on Azure Cobalt 100 sizes) checked against
  # SHA256SUMS, then the checks, whose exit code is kept for later: the reports must be downloaded first.
  provisioner "shell" {
    execute_command  = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    environment_vars = ["PREFLIGHT_BASE=https://github.com/${var.preflight_repository}/releases/download/v${var.preflight_version}", "POOL_VM_SIZE=${var.pool_vm_size}"]
    inline = [
      "set -eu",
      "mkdir -m 0700 /var/lib/batch-preflight-build",
      "cd /var/lib/batch-preflight-build",
      "a=$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')",
      "curl -fsSL --retry 3 -o batch-preflight-linux-$a \"$PREFLIGHT_BASE/batch-preflight-linux-$a\" -o SHA256SUMS \"$PREFLIGHT_BASE/SHA256SUMS\"",
      "grep \"  batch-preflight-linux-$a\\$\" SHA256SUMS | sha256sum --check --strict -",
      "chmod 0700 batch-preflight-linux-$a",
      "set +e",
      "./batch-preflight-linux-$a --mode image --vm-size \"$POOL_VM_SIZE\" --require gpu,infiniband,mpi,blobfuse --format human --no-color --output junit=/var/lib/batch-preflight-build/preflight.xml --report /var/lib/batch-preflight-build/preflight.json",
      "echo $? > /var/lib/batch-preflight-build/rc",
      "set -e",
      "chmod 0755 /var/lib/batch-preflight-build",
      "chmod 0644 /var/lib/batch-preflight-build/preflight.xml /var/lib/batch-preflight-build/preflight.json",
    ]
  }

  # Keep the reports beside the build, whatever the verdict.
  provisioner "file" {
    direction   = "download"
    source      = "/var/lib/batch-preflight-build/preflight.xml"
    destination = "preflight.xml"
  }

  provisioner "file" {
    direction   = "download"
    source      = "/var/lib/batch-preflight-build/preflight.json"
    destination = "preflight.json"
  }

  # Fail the build when the image is not fit (exit 1), the invocation was wrong (exit 2) or the
  # exit code is missing: a shell provisioner fails on any exit code outside valid_exit_codes,
  # which defaults to [0].
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline = [
      "set -eu",
      "rc=$(cat /var/lib/batch-preflight-build/rc)",
      "rm -rf /var/lib/batch-preflight-build",
      "echo \"batch-preflight exit code: $rc\"",
      "test \"$rc\" = 0",
    ]
  }

  # Generalise the VM only after the checks passed.
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline = [
      "/usr/sbin/waagent -force -deprovision+user && export HISTSIZE=0 && sync",
    ]
    inline_shebang = "/bin/sh -x"
  }
}
