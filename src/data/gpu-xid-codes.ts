// The Xid codes that mean the node's GPU hardware is at fault, as Azure's own health checks for its
// GPU sizes list them: Azure/azurehpc-health-checks customTests/azure_gpu_xid.nhc (commit 0e0a1ac),
// XID_EC="48 56 57 58 62 63 64 65 68 69 73 74 79 80 81 92 119 120"; a match ends the node with
// FaultCode NHC2001. What each code means: NVIDIA's Xid catalog,
// https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html. Other codes (13, 31, 43, ...)
// are raised by what an application did and say nothing of the hardware.

export const AZURE_FAULT_XIDS: ReadonlySet<number> = new Set([48, 56, 57, 58, 62, 63, 64, 65, 68, 69, 73, 74, 79, 80, 81, 92, 119, 120]);

export const AZURE_FAULT_XIDS_SOURCE = 'Azure/azurehpc-health-checks customTests/azure_gpu_xid.nhc (XID_EC)';
