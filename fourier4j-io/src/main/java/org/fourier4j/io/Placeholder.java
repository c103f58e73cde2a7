package org.fourier4j.io;

import net.razorvine.pickle.IObjectConstructor;

/**
 * An inert stand-in for a global outside the allow-list (e.g. {@code argparse.Namespace}), used
 * only when the caller chose to read such pickles: "calling" it builds another placeholder that
 * records nothing but the global's name. It never loads, instantiates or calls anything, and a
 * rebuild function refuses it as an argument, so it can never become part of a tensor.
 *
 * @param global the global's name
 * @param instance whether it stands for an instance (the global called) rather than the global
 */
record Placeholder(String global, boolean instance) implements IObjectConstructor {

    @Override
    public Object construct(Object[] args) {
        return new Placeholder(global, true);
    }

    @Override
    public String toString() {
        return (instance ? "placeholder for an instance of " : "placeholder for ") + global;
    }
}
