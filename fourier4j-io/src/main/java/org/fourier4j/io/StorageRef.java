package org.fourier4j.io;

/**
 * A storage of a torch.save archive, as its persistent id names it: {@code ('storage',
 * torch.FloatStorage, key, location, numel)}, checked against the size of the archive entry {@code
 * data/<key>}.
 */
record StorageRef(String key, DType dtype, long numel) {

    /**
     * @param pid the persistent id tuple
     * @param entryBytes the byte length of the entry {@code data/<key>}, or -1 when it is absent
     *     (looked up by the caller through {@link #key(Object)})
     */
    static StorageRef of(Object pid, long entryBytes) {
        Object[] t = (Object[]) pid;
        if (!(t[1] instanceof TorchGlobal)
                || ((TorchGlobal) t[1]).kind() != TorchGlobal.Kind.STORAGE_CLASS) {
            throw new PickleRefusal(
                    "a storage has the class "
                            + TorchGlobal.typeName(t[1])
                            + ", not a torch storage class");
        }
        DType dtype = ((TorchGlobal) t[1]).dtype();
        String key = (String) t[2];
        long numel = TensorRef.toLong(t[4], "the storage size");
        if (entryBytes < 0) {
            throw new PickleRefusal(
                    "storage "
                            + Describe.name(key)
                            + " has no entry data/"
                            + key
                            + " in the archive");
        }
        if (numel < 0 || numel > entryBytes / dtype.byteSize()) {
            throw new PickleRefusal(
                    "storage "
                            + Describe.name(key)
                            + " claims "
                            + numel
                            + " elements of "
                            + dtype
                            + " but its entry has "
                            + entryBytes
                            + " bytes");
        }
        return new StorageRef(key, dtype, numel);
    }

    /** The key of a persistent id, after checking its form; refuses anything else. */
    static String key(Object pid) {
        if (!(pid instanceof Object[])) {
            throw new PickleRefusal(
                    "a persistent id is a " + TorchGlobal.typeName(pid) + ", not a storage tuple");
        }
        Object[] t = (Object[]) pid;
        if (t.length != 5
                || !"storage".equals(t[0])
                || !(t[2] instanceof String)
                || !(t[3] instanceof String)) {
            throw new PickleRefusal(
                    "a persistent id is not ('storage', class, key, location, size)");
        }
        return (String) t[2];
    }
}
