# Packer template fragment: check the image with batch-preflight before it is generalised.
# Add these provisioners to your own build, after the ones that install Docker, drivers, MPI...
# Requirements are those of the pool that will use the image (here: a GPU + InfiniBand pool
# that runs MPI jobs and mounts an Azure Blob volume). A `fail` or `error` makes batch-preflight
# exit 1 and the build fail, after the JUnit report has been downloaded.

build {
  sources = ["source.azure-arm.batch-node"]

  # (your provisioners that install the software go here)

  provisioner "file" {
    source      = "dist/batch-preflight-linux-x64"
    destination = "/tmp/batch-preflight"
  }

  # Run the checks, but keep the exit code for later: the report must be downloaded first.
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline = [
      "chmod 0755 /tmp/batch-preflight",
      "set +e",
      "/tmp/batch-preflight --mode image --require gpu,infiniband,mpi,blobfuse --format junit --output /tmp/preflight.xml --report /tmp/preflight.json",
      "echo $? > /tmp/preflight.rc",
    ]
  }

  # Keep the reports beside the build, whatever the verdict.
  provisioner "file" {
    direction   = "download"
    source      = "/tmp/preflight.xml"
    destination = "preflight.xml"
  }

  provisioner "file" {
    direction   = "download"
    source      = "/tmp/preflight.json"
    destination = "preflight.json"
  }

  # Fail the build when the image is not fit (exit 1) or the invocation was wrong (exit 2):
  # a shell provisioner fails on any exit code outside valid_exit_codes, which defaults to [0].
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline = [
      "rc=$(cat /tmp/preflight.rc)",
      "rm -f /tmp/batch-preflight /tmp/preflight.xml /tmp/preflight.json /tmp/preflight.rc",
      "exit $rc",
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
