"""How often does the semantic cache serve a wrong answer?

Embeds labelled question pairs with the embedded MiniLM model and reports, per threshold,
the share of true paraphrases that would hit (useful hits) and the share of near-misses
— same wording, different question — that would hit (wrong answers served).

    python benchmarks/semantic_cache.py
"""

from __future__ import annotations

import os

import numpy as np

from lyceum.llm.cache import salient_terms
from lyceum.retrieval.embeddings import load_embedder

PARAPHRASES = [
    ("What is the capital of France?", "Which city is the capital of France?"),
    ("How many legs does a spider have?", "How many legs do spiders have?"),
    ("Who wrote Pride and Prejudice?", "Who is the author of Pride and Prejudice?"),
    (
        "What is the boiling point of water at sea level?",
        "At sea level, at what temperature does water boil?",
    ),
    ("When did World War II end?", "In what year did the Second World War end?"),
    ("What does DNA stand for?", "What is DNA short for?"),
    ("How far is the Moon from Earth?", "What is the distance between the Earth and the Moon?"),
    ("Explain what a transformer model is.", "Can you explain what a transformer model is?"),
    ("What is the speed of light?", "How fast does light travel?"),
    ("Who painted the Mona Lisa?", "Which artist painted the Mona Lisa?"),
    ("What is photosynthesis?", "Explain photosynthesis."),
    ("How do vaccines work?", "How does a vaccine work?"),
    (
        "What is the largest planet in the solar system?",
        "Which planet is the biggest in our solar system?",
    ),
    ("What causes the seasons on Earth?", "Why does Earth have seasons?"),
    ("Define machine learning.", "What is machine learning?"),
    ("How many bones are in the adult human body?", "How many bones does an adult human have?"),
    ("What language is spoken in Brazil?", "Which language do people speak in Brazil?"),
    ("Summarize the theory of evolution.", "Give a summary of the theory of evolution."),
    ("What is the chemical symbol for gold?", "Which chemical symbol stands for gold?"),
    ("Who discovered penicillin?", "Who was the discoverer of penicillin?"),
]

NEAR_MISSES = [
    ("What is the capital of France?", "What is the capital of Germany?"),
    ("How many legs does a spider have?", "How many legs does an insect have?"),
    ("Who wrote Pride and Prejudice?", "Who wrote Sense and Sensibility?"),
    (
        "What is the boiling point of water at sea level?",
        "What is the freezing point of water at sea level?",
    ),
    ("When did World War II end?", "When did World War I end?"),
    ("What does DNA stand for?", "What does RNA stand for?"),
    ("How far is the Moon from Earth?", "How far is the Sun from Earth?"),
    ("Explain what a transformer model is.", "Explain what a recurrent neural network is."),
    ("What is the speed of light?", "What is the speed of sound?"),
    ("Who painted the Mona Lisa?", "Who painted The Starry Night?"),
    ("What is 17 times 23?", "What is 17 times 24?"),
    ("Convert 100 Fahrenheit to Celsius.", "Convert 100 Celsius to Fahrenheit."),
    (
        "What is the largest planet in the solar system?",
        "What is the smallest planet in the solar system?",
    ),
    (
        "Who was the first president of the United States?",
        "Who was the second president of the United States?",
    ),
    ("What is the population of Tokyo?", "What is the population of Osaka?"),
    ("Is coffee good for your health?", "Is coffee bad for your health?"),
    ("What year did the Berlin Wall fall?", "What year was the Berlin Wall built?"),
    ("How do I sort a list in Python?", "How do I sort a list in JavaScript?"),
    ("What is the chemical symbol for gold?", "What is the chemical symbol for silver?"),
    ("Who discovered penicillin?", "Who discovered insulin?"),
]

THRESHOLDS = (0.80, 0.85, 0.90, 0.92, 0.95, 0.98)


def cosines(embedder, pairs) -> np.ndarray:
    a = embedder.embed([p[0] for p in pairs])
    b = embedder.embed([p[1] for p in pairs])
    return np.sum(a * b, axis=1)


def main() -> None:
    embedder = load_embedder("minilm")
    para = cosines(embedder, PARAPHRASES)
    near = cosines(embedder, NEAR_MISSES)
    print(f"cores: {os.cpu_count()}  paraphrase pairs: {len(para)}  near-miss pairs: {len(near)}")
    print(
        f"cosine  paraphrases: median {np.median(para):.3f}  near-misses: median {np.median(near):.3f}"
    )
    para_guard = np.array([salient_terms(a) == salient_terms(b) for a, b in PARAPHRASES])
    near_guard = np.array([salient_terms(a) == salient_terms(b) for a, b in NEAR_MISSES])
    for label, p_ok, n_ok in (
        ("cosine only", np.ones_like(para_guard), np.ones_like(near_guard)),
        ("cosine + salient-term guard (Lyceum's default)", para_guard, near_guard),
    ):
        print(f"{label}:")
        print("  threshold  useful-hit rate  false-hit rate  wrong answers per 10 hits")
        for t in THRESHOLDS:
            useful = float(np.mean((para >= t) & p_ok))
            false = float(np.mean((near >= t) & n_ok))
            hits = useful + false
            wrong_per_10 = 10 * false / hits if hits else 0.0
            print(
                f"    {t:.2f}       {useful:6.0%}          {false:6.0%}         {wrong_per_10:4.1f}"
            )


if __name__ == "__main__":
    main()
