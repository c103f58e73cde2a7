package org.fourier4j.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * razorvine's unpickler with every path that could create an object closed except the state-dict
 * allow-list ({@link TorchGlobal}).
 *
 * <p>razorvine resolves globals through a static registry of its own constructors (datetime,
 * decimal, {@code copy_reg._reconstructor}, builtins, exceptions, ...) and calls {@code
 * __setstate__} by reflection on BUILD. This subclass takes over every opcode that resolves a
 * global (GLOBAL, STACK_GLOBAL, INST), calls one (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ) or sets state
 * (BUILD), so neither the registry nor reflection is ever reached; it also checks the length
 * prefixes of strings and bytes against the bytes left before razorvine allocates them, keeps dict
 * order (razorvine's SETITEMS does not), and refuses unhashable dict keys and set items (lists,
 * dicts: Java would hash them recursively).
 */
final class TorchUnpickler extends Unpickler {
    /** Python's own limit on the digits of an int given as text. */
    private static final int MAX_INT_DIGITS = 4300;

    private final boolean placeholders;
    private final ToLongFunction<String> storageBytes;
    private final Set<String> placeholderGlobals = new LinkedHashSet<>();
    private ByteArrayInputStream bytes;

    /**
     * @param placeholders whether globals outside the allow-list become inert placeholders
     *     (otherwise the first one is refused by name)
     * @param storageBytes the byte length of archive entry {@code data/<key>}, -1 if absent
     */
    TorchUnpickler(boolean placeholders, ToLongFunction<String> storageBytes) {
        this.placeholders = placeholders;
        this.storageBytes = storageBytes;
    }

    /** Unpickles {@code pickle}; refusals are {@link PickleRefusal}, corruption anything else. */
    Object read(byte[] pickle) throws IOException {
        bytes = new ByteArrayInputStream(pickle);
        return load(bytes);
    }

    /** Where the unpickler stopped, for messages. */
    int position(byte[] pickle) {
        return bytes == null ? 0 : pickle.length - bytes.available();
    }

    /** The globals that were replaced by placeholders, in order of appearance. */
    Set<String> placeholderGlobals() {
        return placeholderGlobals;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL:
                {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(global(module, name));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.STACK_GLOBAL:
                {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw new PickleRefusal("STACK_GLOBAL names a global with non-strings");
                    }
                    stack.add(global((String) module, (String) name));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.INST:
                {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    IObjectConstructor callable = global(module, name);
                    stack.add(callable.construct(stack.pop_all_since_marker().toArray()));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.OBJ:
                {
                    List<Object> items = stack.pop_all_since_marker();
                    if (items.isEmpty()) {
                        throw new PickleException("OBJ without a class");
                    }
                    IObjectConstructor callable = callable(items.get(0));
                    stack.add(callable.construct(items.subList(1, items.size()).toArray()));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.REDUCE:
            case Opcodes.NEWOBJ:
                {
                    Object args = stack.pop();
                    IObjectConstructor callable = callable(stack.pop());
                    if (!(args instanceof Object[])) {
                        throw new PickleRefusal(
                                callable
                                        + " is called with a "
                                        + TorchGlobal.typeName(args)
                                        + " instead of an argument tuple");
                    }
                    stack.add(callable.construct((Object[]) args));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.NEWOBJ_EX:
                {
                    Object kwargs = stack.pop();
                    Object args = stack.pop();
                    IObjectConstructor callable = callable(stack.pop());
                    boolean noKeywords = kwargs instanceof Map && ((Map<?, ?>) kwargs).isEmpty();
                    if (!(args instanceof Object[])
                            || !(noKeywords || callable instanceof Placeholder)) {
                        throw new PickleRefusal(callable + " is called with keyword arguments");
                    }
                    stack.add(callable.construct((Object[]) args));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.BUILD:
                // state of a dict subclass (OrderedDict's _metadata) or of a placeholder: unused
                stack.pop();
                stack.peek();
                return NO_RETURN_VALUE;
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            case Opcodes.DICT:
                {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    putPairs(map, stack.pop_all_since_marker());
                    stack.add(map);
                    return NO_RETURN_VALUE;
                }
            case Opcodes.SETITEM:
                {
                    Object value = stack.pop();
                    Object k = stack.pop();
                    putPairs(stack.peek(), Arrays.asList(k, value));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.SETITEMS:
                putPairs(null, null);
                return NO_RETURN_VALUE;
            case Opcodes.APPEND:
                {
                    Object value = stack.pop();
                    append(stack.peek(), Collections.singletonList(value));
                    return NO_RETURN_VALUE;
                }
            case Opcodes.APPENDS:
                {
                    List<Object> items = stack.pop_all_since_marker();
                    append(stack.peek(), items);
                    return NO_RETURN_VALUE;
                }
            case Opcodes.EMPTY_SET:
                stack.add(new LinkedHashSet<>());
                return NO_RETURN_VALUE;
            case Opcodes.ADDITEMS:
            case Opcodes.FROZENSET:
                {
                    List<Object> items = stack.pop_all_since_marker();
                    Set<Object> set;
                    if (key == Opcodes.FROZENSET) {
                        set = new LinkedHashSet<>();
                        stack.add(set);
                    } else if (stack.peek() instanceof Set) {
                        @SuppressWarnings("unchecked")
                        Set<Object> target = (Set<Object>) stack.peek();
                        set = target;
                    } else {
                        throw new PickleException(
                                "ADDITEMS on a " + TorchGlobal.typeName(stack.peek()));
                    }
                    for (Object item : items) {
                        checkHashable(item);
                        set.add(item);
                    }
                    return NO_RETURN_VALUE;
                }
            case Opcodes.LONG:
                checkLineLength(MAX_INT_DIGITS + 2);
                return super.dispatch(key);
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLengthPrefix(4);
                return super.dispatch(key);
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLengthPrefix(8);
                return super.dispatch(key);
            case Opcodes.NEXT_BUFFER:
            case Opcodes.READONLY_BUFFER:
                throw new PickleRefusal("the pickle uses out-of-band buffers (protocol 5)");
            default:
                return super.dispatch(key);
        }
    }

    /** An allowed global, a placeholder, or a refusal naming it. */
    private IObjectConstructor global(String module, String name) {
        TorchGlobal allowed = TorchGlobal.resolve(module, name);
        if (allowed != null) {
            return allowed;
        }
        String q = module + "." + name;
        if (!placeholders) {
            throw new PickleRefusal(
                    "pickle names the global "
                            + Describe.name(q)
                            + ", which a state dict never needs (refused; nothing was called)"
                            + wholeModelHint(q));
        }
        placeholderGlobals.add(q);
        return new Placeholder(q, false);
    }

    /** A hint when a global is a model class: torch.save(model) pickles the whole model. */
    static String wholeModelHint(String qualifiedName) {
        return qualifiedName.startsWith("torch.nn.") || qualifiedName.startsWith("__main__.")
                ? "; a whole model saved with torch.save(model)? save model.state_dict() instead"
                : "";
    }

    private static IObjectConstructor callable(Object o) {
        if (o instanceof TorchGlobal || o instanceof Placeholder) {
            return (IObjectConstructor) o;
        }
        throw new PickleRefusal("the pickle calls a " + TorchGlobal.typeName(o));
    }

    /**
     * Puts key/value pairs into a dict (SETITEMS pops its own pairs when {@code items} is null); a
     * placeholder target swallows them.
     */
    private void putPairs(Object target, List<Object> items) {
        if (items == null) {
            items = stack.pop_all_since_marker();
            target = stack.peek();
        }
        if (items.size() % 2 != 0) {
            throw new PickleException("a dict gets an odd number of keys and values");
        }
        if (target instanceof Placeholder) {
            return;
        }
        if (!(target instanceof Map)) {
            throw new PickleException("dict items set on a " + TorchGlobal.typeName(target));
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) target;
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            checkHashable(k);
            map.put(k, items.get(i + 1));
        }
    }

    private static void append(Object target, List<Object> items) {
        if (target instanceof Placeholder) {
            return;
        }
        if (!(target instanceof List)) {
            throw new PickleException("list items appended to a " + TorchGlobal.typeName(target));
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) target;
        for (Object item : items) {
            list.add(item);
        }
    }

    /** Refuses values Python could not hash and Java would hash recursively. */
    static void checkHashable(Object key) {
        if (key instanceof List || key instanceof Map || key instanceof Set) {
            throw new PickleException(
                    "a dict key or set item is a "
                            + TorchGlobal.typeName(key)
                            + ", which Python cannot hash");
        }
    }

    /** Refuses a text line (an int) longer than {@code max} before it is parsed. */
    private void checkLineLength(int max) {
        bytes.mark(0);
        int n = 0;
        int c;
        while ((c = bytes.read()) != -1 && c != '\n') {
            if (++n > max) {
                throw new PickleRefusal(
                        "the pickle has an int of more than " + MAX_INT_DIGITS + " digits");
            }
        }
        bytes.reset();
    }

    /** Refuses a length prefix larger than the bytes left, before razorvine allocates it. */
    private void checkLengthPrefix(int width) throws IOException {
        bytes.mark(0);
        byte[] prefix = new byte[width];
        int read = bytes.read(prefix, 0, width);
        long left = bytes.available();
        bytes.reset();
        if (read != width) {
            throw new PickleException("the pickle ends inside a length");
        }
        long length =
                width == 4
                        ? PickleUtils.bytes_to_integer(prefix, 0, 4) & 0xffffffffL
                        : PickleUtils.bytes_to_long(prefix, 0);
        if (length < 0 || length > left) {
            throw new PickleException(
                    "a string or bytes claims "
                            + Long.toUnsignedString(length)
                            + " bytes but "
                            + left
                            + " are left");
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        String key = StorageRef.key(pid);
        return StorageRef.of(pid, storageBytes.applyAsLong(key));
    }
}
