import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.ning.compress.lzf.LZFOutputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import net.jpountz.lz4.LZ4BlockOutputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Compresses a file the way Spark's CompressionCodec implementations frame their streams (Spark's defaults:
 * 32 KiB blocks, zstd level 1), writing it line by line and flushing every few lines as Spark's event logger does.
 *
 * Usage: SparkCodecCompress JOB... where a JOB is CODEC,INPUT,OUTPUT,FLUSH_EVERY_LINES,CLOSE (one JVM start for many files).
 * CLOSE false flushes but never closes the stream: the file then looks like an in-progress log.
 */
public final class SparkCodecCompress {
    private static final int BLOCK_SIZE = 32 * 1024;

    public static void main(String[] args) throws Exception {
        for (String job : args) {
            String[] parts = job.split(",");
            compress(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]), Boolean.parseBoolean(parts[4]));
        }
    }

    private static void compress(String codec, String inputPath, String outputPath, int flushEvery, boolean close) throws Exception {
        byte[] input = Files.readAllBytes(Paths.get(inputPath));
        OutputStream file = new FileOutputStream(outputPath);
        OutputStream out = open(codec, file);
        int start = 0, lines = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] != '\n') continue;
            out.write(input, start, i + 1 - start);
            start = i + 1;
            if (++lines % flushEvery == 0) out.flush();
        }
        out.write(input, start, input.length - start);
        out.flush();
        if (close) out.close();
        else file.close();
    }

    private static OutputStream open(String codec, OutputStream s) throws Exception {
        switch (codec) {
            case "lz4":
                // Spark's LZ4CompressionCodec: fast compressor, XXH32 checksum with lz4-java's default seed, no sync flush.
                return new LZ4BlockOutputStream(s, BLOCK_SIZE, LZ4Factory.fastestInstance().fastCompressor(),
                        XXHashFactory.fastestInstance().newStreamingHash32(0x9747b28c).asChecksum(), false);
            case "lzf":
                // Spark's LZFCompressionCodec.
                return new LZFOutputStream(s).setFinishBlockOnFlush(true);
            case "snappy":
                // Spark's SnappyCompressionCodec.
                return new SnappyOutputStream(s, BLOCK_SIZE);
            case "zstd":
                // Spark's ZStdCompressionCodec: level 1, buffered by 32 KiB.
                return new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(s, RecyclingBufferPool.INSTANCE).setLevel(1), BLOCK_SIZE);
            default:
                throw new IllegalArgumentException("unknown codec " + codec);
        }
    }
}
