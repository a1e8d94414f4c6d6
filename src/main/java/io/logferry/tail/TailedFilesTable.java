package io.logferry.tail;

import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.List;

/**
 * The files a tail consumer follows as JMX open data: one row per file, so jconsole, VisualVM and any JMX
 * client show them as a table without logferry classes on their class path.
 */
final class TailedFilesTable {

    private static final String[] ITEMS = {"path", "fingerprint", "committedOffset", "readOffset", "sizeBytes",
        "lagBytes"};
    private static final String[] DESCRIPTIONS = {"Where the file is now", "Identity: fingerprint of the first line",
        "Bytes confirmed by the sink (reading resumes here after a restart)", "Bytes read and sent",
        "Size when last looked at", "Size minus committed offset"};
    private static final OpenType<?>[] TYPES = {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG,
        SimpleType.LONG, SimpleType.LONG, SimpleType.LONG};
    private static final CompositeType ROW;
    private static final TabularType TABLE;

    static {
        try {
            ROW = new CompositeType("TailedFile", "A file followed by the tail consumer", ITEMS, DESCRIPTIONS, TYPES);
            TABLE = new TabularType("TailedFiles", "Files followed by the tail consumer", ROW,
                    new String[] {"fingerprint"});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TailedFilesTable() {
    }

    static TabularData of(List<TailedFileStatus> files) {
        TabularDataSupport table = new TabularDataSupport(TABLE);
        for (TailedFileStatus f : files) {
            try {
                table.put(new CompositeDataSupport(ROW, ITEMS, new Object[] {f.path(), f.fingerprint(),
                    f.committedOffset(), f.readOffset(), f.sizeBytes(), f.lagBytes()}));
            } catch (OpenDataException e) {
                throw new IllegalStateException("Cannot describe " + f + " as JMX open data", e);
            }
        }
        return table;
    }
}
