import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4BlockInputStream;
import org.xerial.snappy.SnappyInputStream;

/**
 * Decompresses files the way Spark's CompressionCodec implementations read their streams.
 *
 * Usage: SparkCodecDecompress JOB... where a JOB is CODEC,INPUT,OUTPUT (one JVM start for many files).
 */
public final class SparkCodecDecompress {
    public static void main(String[] args) throws Exception {
        for (String job : args) {
            String[] parts = job.split(",");
            try (InputStream in = open(parts[0], new BufferedInputStream(new FileInputStream(parts[1]))); OutputStream out = new FileOutputStream(parts[2])) {
                in.transferTo(out);
            }
        }
    }

    private static InputStream open(String codec, InputStream s) throws Exception {
        switch (codec) {
            case "lz4":
                // Spark's LZ4CompressionCodec: lz4-java's block stream with its default XXH32 checksum.
                return new LZ4BlockInputStream(s);
            case "snappy":
                // Spark's SnappyCompressionCodec.
                return new SnappyInputStream(s);
            case "zstd":
                // Spark's ZStdCompressionCodec.
                return new ZstdInputStreamNoFinalizer(s, RecyclingBufferPool.INSTANCE);
            default:
                throw new IllegalArgumentException("unknown codec " + codec);
        }
    }
}
