package org.fourier4j.io;

import net.razorvine.pickle.IObjectConstructor;

/**
 * An inert stand-in for a global outside the allow-list (e.g. {@code argparse.Namespace}), used
 * only when the caller chose to read such pickles: "calling" it builds another placeholder that
 * records nothing but the global's name. It never loads, instantiates or calls anything, and a
 * rebuild function refuses it as an argument, so it can never become part of a tensor.
 */
final class Placeholder implements IObjectConstructor {
    private final String global;
    private final boolean instance;

    Placeholder(String global, boolean instance) {
        this.global = global;
        this.instance = instance;
    }

    String global() {
        return global;
    }

    @Override
    public Object construct(Object[] args) {
        return new Placeholder(global, true);
    }

    @Override
    public String toString() {
        return (instance ? "placeholder for an instance of " : "placeholder for ") + global;
    }
}
