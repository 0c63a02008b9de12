package dev.cli2api.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers which registered model a generation route may use (an empty result is that route's 404), lists
 * {@code GET /v1/models} in a fixed order, and holds the chat vendor map.
 */
@ApplicationScoped
public class ModelCatalog {

    private final Map<String, GenerationModel<ImageRequest>> images;
    private final Map<String, GenerationModel<EditRequest>> edits;
    private final Map<String, GenerationModel<AudioRequest>> audio;
    private final Map<String, GenerationModel<VideoRequest>> videos;
    private final List<GenerationModel<?>> registered;
    private final List<ListedModel> listed;

    public ModelCatalog() {
        images = index(ModelTable.IMAGES);
        edits = index(ModelTable.EDITS);
        audio = index(ModelTable.AUDIO);
        videos = index(ModelTable.VIDEOS);
        List<GenerationModel<?>> all = new ArrayList<>();
        all.addAll(ModelTable.IMAGES);
        all.addAll(ModelTable.EDITS);
        all.addAll(ModelTable.AUDIO);
        all.addAll(ModelTable.VIDEOS);
        Set<String> ids = new HashSet<>();
        List<ListedModel> items = new ArrayList<>();
        for (GenerationModel<?> model : all) {
            if (!ids.add(model.id())) {
                throw new IllegalStateException("duplicate model id " + model.id());
            }
            items.add(ListedModel.of(model.id(), model.vendor()));
        }
        items.addAll(ModelTable.CHAT);
        registered = List.copyOf(all);
        listed = List.copyOf(items);
    }

    private static <R> Map<String, GenerationModel<R>> index(List<GenerationModel<R>> models) {
        Map<String, GenerationModel<R>> byId = new LinkedHashMap<>();
        models.forEach(model -> byId.put(model.id(), model));
        return Map.copyOf(byId);
    }

    private static <R> Optional<GenerationModel<R>> find(Map<String, GenerationModel<R>> models, String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(models.get(id));
    }

    /** The model for {@code POST /v1/images/generations}; empty for unknown ids and every {@code -edit} model. */
    public Optional<GenerationModel<ImageRequest>> forImageGeneration(String id) {
        return find(images, id);
    }

    /** The model for {@code POST /v1/images/edits}; empty for unknown ids and generation-only models. */
    public Optional<GenerationModel<EditRequest>> forImageEdit(String id) {
        return find(edits, id);
    }

    /** The model for {@code POST /v1/audio/speech}; empty for unknown ids and music models. */
    public Optional<GenerationModel<AudioRequest>> forSpeech(String id) {
        return find(audio, id).filter(model -> model.surface() == Surface.SPEECH);
    }

    /** The model for {@code POST /v1/audio/music}; empty for unknown ids and speech models. */
    public Optional<GenerationModel<AudioRequest>> forMusic(String id) {
        return find(audio, id).filter(model -> model.surface() == Surface.MUSIC);
    }

    /** The model for {@code POST /v1/videos}; empty for unknown ids and non-video models. */
    public Optional<GenerationModel<VideoRequest>> forVideo(String id) {
        return find(videos, id);
    }

    /** The 61 generation models in the specification's table order. */
    public List<GenerationModel<?>> registered() {
        return registered;
    }

    /** How many generation models are registered (the startup log's {@code registered_models}). */
    public int registeredCount() {
        return registered.size();
    }

    /** The {@code GET /v1/models} items: the generation models in table order, then the chat ids. */
    public List<ListedModel> listed() {
        return listed;
    }

    /** The advertised chat model ids, in their fixed order. */
    public List<String> chatModelIds() {
        return ModelTable.CHAT.stream().map(ListedModel::id).toList();
    }

    /**
     * The chat vendor map: the upstream chat path for a model prefix such as {@code openai} (from
     * {@code openai/gpt-5.5}); empty when the prefix is not a routed vendor.
     */
    public Optional<String> chatVendorPath(String vendor) {
        return vendor == null ? Optional.empty() : Optional.ofNullable(ModelTable.CHAT_VENDOR_PATHS.get(vendor));
    }

    /** The music predicate: an audio model is music iff its id starts with {@code music}. */
    public static boolean isMusic(String id) {
        return id != null && id.startsWith("music");
    }
}
