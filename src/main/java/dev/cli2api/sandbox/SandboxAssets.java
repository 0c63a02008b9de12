package dev.cli2api.sandbox;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.imageio.ImageIO;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** The sample image, audio and video files that simulated jobs point at, served from memory. */
final class SandboxAssets {

    static final String PATH_PREFIX = "/assets/";
    static final String PNG = "sample.png";
    static final String MP3 = "sample.mp3";
    static final String MP4 = "sample.mp4";

    /** Side length of the generated PNG, in pixels. */
    static final int IMAGE_SIZE = 64;

    /** Number of silent MP3 frames: 39 × 1152 samples at 44.1 kHz is just over one second. */
    static final int MP3_FRAMES = 39;

    // MPEG-1 Layer III, no CRC (FF FB), 32 kbit/s at 44.1 kHz, no padding (10), mono (C0)
    private static final byte[] MP3_HEADER = { (byte) 0xFF, (byte) 0xFB, 0x10, (byte) 0xC0 };
    private static final int MP3_FRAME_LENGTH = 144 * 32_000 / 44_100;

    private static final String MP4_RESOURCE = "/sandbox/" + MP4;

    private static final SandboxAssets SHARED = new SandboxAssets();

    private final Map<String, Asset> assets;

    private SandboxAssets() {
        assets = Map.of(
                PNG, new Asset("image/png", Buffer.buffer(png())),
                MP3, new Asset("audio/mpeg", Buffer.buffer(silentMp3())),
                MP4, new Asset("video/mp4", Buffer.buffer(resource(MP4_RESOURCE))));
    }

    /** The one set of assets, built once per class loader. */
    static SandboxAssets shared() {
        return SHARED;
    }

    /** {@code GET /assets/:name}: the named file with its content type, or a 404. */
    void serve(RoutingContext ctx) {
        Asset asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            UpstreamErrorShape.VENDOR.reject(ctx, 404, "not_found", "asset not found");
            return;
        }
        ctx.response()
                .putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", "public, max-age=3600")
                .end(asset.bytes());
    }

    /** A colour-gradient square, encoded as PNG. */
    static byte[] png() {
        BufferedImage image = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_INT_RGB);
        int step = 256 / IMAGE_SIZE;
        for (int y = 0; y < IMAGE_SIZE; y++) {
            for (int x = 0; x < IMAGE_SIZE; x++) {
                image.setRGB(x, y, (x * step) << 16 | (y * step) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the sandbox PNG", e);
        }
        return out.toByteArray();
    }

    /** Silent MP3 frames: a header each and all-zero side info and main data, which decoders play as silence. */
    static byte[] silentMp3() {
        byte[] mp3 = new byte[MP3_FRAMES * MP3_FRAME_LENGTH];
        for (int frame = 0; frame < MP3_FRAMES; frame++) {
            System.arraycopy(MP3_HEADER, 0, mp3, frame * MP3_FRAME_LENGTH, MP3_HEADER.length);
        }
        return mp3;
    }

    private static byte[] resource(String name) {
        try (InputStream in = SandboxAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing sandbox resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox resource " + name, e);
        }
    }

    /** One served file. */
    private record Asset(String contentType, Buffer bytes) {
    }
}
