"""The clusterers compared: HDBSCAN, Ward and k-means (each with and without UMAP), the chosen one and BERTopic.

Each is scored against the labelled themes (ARI, NMI, outlier share, number of themes) and by its
run-to-run stability across seeds; the second annotator is scored the same way, as a yardstick.
"""

from __future__ import annotations

import itertools

import numpy as np
from themes_data import NONE, Split

from pipeline.themes import clustering as themes

STABILITY_SEEDS = (1, 2, 3)


def scores(gold: np.ndarray, labels: np.ndarray) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    themed = gold != NONE
    return {
        "ari": round(adjusted_rand_score(gold[themed], labels[themed]), 3),
        "nmi": round(normalized_mutual_info_score(gold[themed], labels[themed]), 3),
        "ari_all": round(adjusted_rand_score(gold, labels), 3),
        "outliers": round(float((labels == themes.NO_THEME).mean()), 3),
        "themes": len(set(labels.tolist()) - {themes.NO_THEME}),
    }


def stability(run, seeds=STABILITY_SEEDS) -> float:
    """Mean ARI between the labels of runs with different seeds (1.0: seed-independent)."""
    from sklearn.metrics import adjusted_rand_score

    found = [run(seed) for seed in seeds]
    return round(float(np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(found, 2)])), 3)


def annotators(split: Split) -> dict:
    """How far two careful readers agree: the blind second annotator scored like a clusterer (ARI over
    the comments annotator 1 gave a theme), and the chosen clusterer against annotator 2."""
    from sklearn.metrics import cohen_kappa_score

    return {
        "same_theme": round(float((split.gold == split.second).mean()), 3),
        "kappa": round(float(cohen_kappa_score(split.gold, split.second)), 3),
        "annotator_2_ari": scores(split.gold, split.second)["ari"],
        "chosen_ari_vs_annotator_2": scores(split.second, split.chosen)["ari"],
    }


# --- clusterers ---------------------------------------------------------------------------------


def clusterers(k: int) -> dict:
    """name → (labels for a representation and a seed). ``k``: the number of themes to ask for."""
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans

    def hdbscan(x, seed):
        return HDBSCAN(min_cluster_size=themes.MIN_THEME_SIZE, min_samples=2).fit_predict(x)

    def ward(x, seed):
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)

    def kmeans(x, seed):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)

    found = {}
    for name, method in (("HDBSCAN", hdbscan), ("agglomerativ (Ward)", ward), ("k-means", kmeans)):
        found[name] = method
        found[name + " + UMAP"] = lambda x, seed, m=method: m(themes.reduce(x, seed), seed)
    return found


def bertopic_labels(split: Split, seed: int, min_topic_size: int = 10) -> np.ndarray | None:
    """BERTopic on the same sentence embeddings (its defaults: UMAP 15/5, HDBSCAN), or None."""
    try:
        from bertopic import BERTopic
        from umap import UMAP
    except ImportError:
        return None
    reducer = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed, n_jobs=1)
    model = BERTopic(umap_model=reducer, min_topic_size=min_topic_size, calculate_probabilities=False)
    topics, _ = model.fit_transform(split.comments["text"].tolist(), embeddings=split.vectors)
    return np.array(topics)


def compare(split: Split, with_bertopic: bool) -> dict:
    """Every clusterer on the combined representation and on the embeddings alone."""
    k = themes.theme_count(int(round(split.weights.sum())))
    embeddings = split.vectors - split.vectors.mean(axis=0)
    results = {}
    for representation, x in (("kombinert", split.space), ("embedding", embeddings)):
        for name, method in clusterers(k).items():
            labels = method(x, themes.SEED)
            results[f"{name} [{representation}]"] = scores(split.gold, labels) | {
                "stability": stability(lambda seed, m=method, x=x: m(x, seed))
            }
    chosen = scores(split.gold, split.chosen)
    chosen["stability"] = stability(lambda seed: themes.cluster(split.space, split.weights, seed))
    results["valgt: themes.cluster [kombinert]"] = chosen
    if with_bertopic:
        for size in (10, 5, 3):
            labels = bertopic_labels(split, themes.SEED, size)
            if labels is None:
                results["BERTopic"] = {"note": "not installed: pip install -e .[bertopic]"}
                break
            results[f"BERTopic min_topic_size={size} [embedding]"] = scores(split.gold, labels) | {
                "stability": stability(lambda seed, s=size: bertopic_labels(split, seed, s))
            }
    return results
