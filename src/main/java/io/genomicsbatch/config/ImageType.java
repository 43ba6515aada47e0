package io.genomicsbatch.config;

/**
 * The ECS-optimized AMI family Batch launches for a compute environment
 * ({@code ec2Configuration.imageType}), with what its hosts need from the launch template.
 */
public enum ImageType {
    /** Amazon Linux 2023 (Amazon Linux 2 is being retired as the ECS default). No GPU driver; no A1 instances. */
    ECS_AL2023(false, 50),
    /** Amazon Linux 2023 with the NVIDIA driver and container toolkit, for GPU instance families. */
    ECS_AL2023_NVIDIA(true, 100);

    private final boolean gpu;
    private final int rootVolumeGiB;

    ImageType(boolean gpu, int rootVolumeGiB) {
        this.gpu = gpu;
        this.rootVolumeGiB = rootVolumeGiB;
    }

    /** Whether the AMI carries the NVIDIA driver (and so only GPU families belong on it). */
    public boolean gpu() {
        return gpu;
    }

    /**
     * Root volume size: the OS and the ECS agent (Docker's data lives on the data storage). The GPU
     * AMI is larger (driver, CUDA libraries) and GPU hosts pull multi-GiB CUDA images.
     */
    public int rootVolumeGiB() {
        return rootVolumeGiB;
    }
}
