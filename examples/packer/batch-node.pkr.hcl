# Packer template fragment: check the image with batch-preflight before it is generalised.
# Add these provisioners to your own build, after the ones that install Docker, drivers, MPI...
# Requirements are those of the pool that will use the image (here: a GPU + InfiniBand pool
# that runs MPI jobs and mounts an Azure Blob volume). A `fail` or `error` makes batch-preflight
# exit 1 and the build fail, after the JUnit report has been downloaded.
#
# Everything runs as root on the build VM, so nothing goes through a fixed name in /tmp (another
# user could plant it): the binary, the reports and the exit code live in a directory made fresh
# under /var/lib (only root can create names there), the binary runs only when its SHA-256 is the
# one given here, and a missing exit code fails the build.

variable "preflight_sha256" {
  type        = string
  description = "SHA-256 of dist/batch-preflight-linux-x64: the first word of dist/batch-preflight-linux-x64.sha256"
}

build {
  sources = ["source.azure-arm.batch-node"]

  # (your provisioners that install the software go here)

  # A directory of our own: mkdir fails (and the build with it) if the name already exists.
  # The build user owns it only for the upload; it is never readable by anyone else.
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline = [
      "set -eu",
      "mkdir -m 0700 /var/lib/batch-preflight-build",
      "chown \"$SUDO_USER\" /var/lib/batch-preflight-build",
    ]
  }

  provisioner "file" {
    source      = "dist/batch-preflight-linux-x64"
    destination = "/var/lib/batch-preflight-build/batch-preflight"
  }

  # Run the checks, but keep the exit code for later: the reports must be downloaded first.
  # Root takes the directory back, and the binary runs only if its checksum is the expected one.
  provisioner "shell" {
    execute_command  = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    environment_vars = ["PREFLIGHT_SHA256=${var.preflight_sha256}"]
    inline = [
      "set -eu",
      "chown -R root:root /var/lib/batch-preflight-build",
      "chmod 0700 /var/lib/batch-preflight-build /var/lib/batch-preflight-build/batch-preflight",
      "echo \"$PREFLIGHT_SHA256  /var/lib/batch-preflight-build/batch-preflight\" | sha256sum --check --strict --quiet -",
      "set +e",
      "/var/lib/batch-preflight-build/batch-preflight --mode image --require gpu,infiniband,mpi,blobfuse --format junit --output /var/lib/batch-preflight-build/preflight.xml --report /var/lib/batch-preflight-build/preflight.json",
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
