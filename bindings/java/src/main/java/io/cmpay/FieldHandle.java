package io.cmpay;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * A handle whose fields are read by name: a gateway answer or a
 * notification. The accessors live here once; each kind names its two
 * native functions.
 */
public abstract class FieldHandle extends Handle {

    FieldHandle(Pointer p) {
        super(p);
    }

    /** The kind's cmpay_<noun>_field. */
    abstract int nativeField(Pointer p, String name, PointerByReference out);

    /** The kind's cmpay_<noun>_fields. */
    abstract int nativeFields(Pointer p, PointerByReference out);

    /** One field (decoded), "" when sent empty, null when absent. */
    public String field(String name) {
        PointerByReference out = new PointerByReference();
        int st = nativeField(ptr(), CmpayLibrary.text(name, "name"), out);
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return CmpayLibrary.take(out);
    }

    /** One field; NotFoundException when absent. */
    public String get(String name) {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(nativeField(ptr(), CmpayLibrary.text(name, "name"), out));
        return CmpayLibrary.take(out);
    }

    /** Every field in the order received, in one crossing. */
    public Map<String, String> fields() {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(nativeFields(ptr(), out));
        return Form.decode(CmpayLibrary.take(out));
    }
}
