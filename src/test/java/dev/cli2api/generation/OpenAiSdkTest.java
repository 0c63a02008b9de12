package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The official OpenAI Java SDK, unmodified, against the generation routes. */
@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class OpenAiSdkTest {

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private OpenAIClient client;

    @BeforeEach
    void setUp() {
        fake.reset();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("sk-any")
                .maxRetries(0).build();
    }

    @Test
    void imagesGenerateReadsTheUrls() {
        fake.onPolls(Reply.status("processing"), Reply.completed("images", "https://cdn/1.png"));

        ImagesResponse response = client.images().generate(ImageGenerateParams.builder()
                .model("gpt-image-2").prompt("a cat").build());

        assertEquals("https://cdn/1.png", response.data().orElseThrow().get(0).url().orElseThrow());
    }

    @Test
    void imagesGenerateReadsBase64() {
        byte[] png = TestImages.png();
        fake.onPolls(Reply.completed("images", fake.asset("1.png", "image/png", png)));

        ImagesResponse response = client.images().generate(ImageGenerateParams.builder()
                .model("gpt-image-2").prompt("a cat").responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
                .build());

        assertEquals(java.util.Base64.getEncoder().encodeToString(png),
                response.data().orElseThrow().get(0).b64Json().orElseThrow());
    }

    @Test
    void imagesEditUploadsTheFileAndMask() throws Exception {
        fake.onPolls(Reply.completed("images", "https://cdn/edited.png"));
        Path image = Files.createTempFile("photo", ".png");
        Files.write(image, TestImages.png());

        ImagesResponse response = client.images().edit(ImageEditParams.builder()
                .model("gpt-image-2-edit").prompt("add a hat").image(image).mask(TestImages.png()).build());

        assertEquals("https://cdn/edited.png", response.data().orElseThrow().get(0).url().orElseThrow());
        var body = new ObjectMapper().readTree(fake.submits().get(0).body());
        assertTrue(body.path("images").path(0).asText().startsWith("data:image/png;base64,"));
        assertTrue(body.path("mask").asText().startsWith("data:image/png;base64,"));
    }

    @Test
    void speechCreateStreamsTheAudio() throws Exception {
        byte[] audio = new byte[20_000];
        new Random(3).nextBytes(audio);
        fake.onPolls(Reply.completed("audios", fake.asset("a.mp3", "audio/mpeg", audio)));

        try (HttpResponse response = client.audio().speech().create(SpeechCreateParams.builder()
                .model("speech-2.8-hd").input("hello").voice("alloy").build());
                InputStream in = response.body()) {
            assertArrayEquals(audio, in.readAllBytes());
        }
    }

    @Test
    void unknownModelIsATypedNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.images().generate(
                ImageGenerateParams.builder().model("dall-e-3").prompt("a cat").build()));

        assertTrue(e.getMessage().contains("unknown image model: dall-e-3"), e.getMessage());
    }
}
