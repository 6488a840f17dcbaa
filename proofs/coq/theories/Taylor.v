(** * Second-order Taylor models with a cubic remainder bound; the loss near a rational point.

    A Taylor model [TM c0 g A b] stands for the real function h ↦ c0 + Σ_i g_i h_i + Σ_ij A_ij h_i h_j
    ([tm_eval]) up to a remainder bounded by b·n³ wherever every |h_i| ≤ n ≤ 1 ([tm_rel]).  Vectors and
    matrices are lists (rows of possibly different lengths; a missing entry is 0).  [Tops] computes with
    them; [loss_T] says that the loss computed over Taylor models from [tm_params θ] is the real loss
    h ↦ L(θ + h), to second order, with the certified remainder. *)
From Coq Require Import List QArith Qabs Qreals Reals Lra.
From Spurious Require Import Loss.
Import ListNotations.

Record tm := TM { t0 : Q; t1 : list Q; t2 : list (list Q); tb : Q }.

(** Evaluation. [dotQR g h] = Σ_i g_i h_i over the common length; [quad A h] = Σ_i h_i (Σ_j A_ij h_j). *)
Fixpoint dotQR (g : list Q) (h : list R) : R :=
  match g, h with a :: g', x :: h' => (Q2R a * x + dotQR g' h')%R | _, _ => 0%R end.
Fixpoint dotRR (u v : list R) : R :=
  match u, v with a :: u', x :: v' => (a * x + dotRR u' v')%R | _, _ => 0%R end.
Definition quad (A : list (list Q)) (h : list R) : R := dotRR (map (fun r => dotQR r h) A) h.
Definition tm_eval (a : tm) (h : list R) : R := (Q2R (t0 a) + dotQR (t1 a) h + quad (t2 a) h)%R.

(** Vector and matrix operations (zero-padded). *)
Fixpoint vadd (u v : list Q) : list Q :=
  match u, v with
  | [], _ => v
  | _, [] => u
  | a :: u', b :: v' => Qred (a + b) :: vadd u' v'
  end.
Definition vscale (c : Q) (u : list Q) : list Q := map (fun a => Qred (c * a)) u.
Fixpoint madd (A B : list (list Q)) : list (list Q) :=
  match A, B with
  | [], _ => B
  | _, [] => A
  | r :: A', s :: B' => vadd r s :: madd A' B'
  end.
Definition mscale (c : Q) (A : list (list Q)) : list (list Q) := map (vscale c) A.
Definition outer (u v : list Q) : list (list Q) := map (fun a => vscale a v) u.

Fixpoint abs1 (u : list Q) : Q := match u with [] => 0%Q | a :: u' => Qabs a + abs1 u' end.
Fixpoint abs2 (A : list (list Q)) : Q := match A with [] => 0%Q | r :: A' => abs1 r + abs2 A' end.
Definition size (a : tm) : Q := Qabs (t0 a) + abs1 (t1 a) + abs2 (t2 a).

(** Arithmetic.  The product keeps the terms of degree ≤ 2 and moves every other part into the bound:
    (a0 + A1 + A2 + ra)(b0 + B1 + B2 + rb) = [a0 b0 + (a0 B1 + b0 A1) + (a0 B2 + b0 A2 + A1 B1)]
    + (A1 B2 + A2 B1 + A2 B2) + ra·b + a·rb, and with n ≤ 1 each dropped part is at most its bound × n³. *)
Definition tm_add (a b : tm) : tm :=
  TM (Qred (t0 a + t0 b)) (vadd (t1 a) (t1 b)) (madd (t2 a) (t2 b)) (Qred (tb a + tb b)).
Definition tm_opp (a : tm) : tm :=
  TM (- t0 a) (vscale (-1) (t1 a)) (mscale (-1) (t2 a)) (tb a).
Definition tm_cst (q : Q) : tm := TM q [] [] 0.
Definition tm_mul (a b : tm) : tm :=
  TM (Qred (t0 a * t0 b))
     (vadd (vscale (t0 a) (t1 b)) (vscale (t0 b) (t1 a)))
     (madd (madd (mscale (t0 a) (t2 b)) (mscale (t0 b) (t2 a)))
           (mscale (1 # 2) (madd (outer (t1 a) (t1 b)) (outer (t1 b) (t1 a)))))
     (Qred (tb a * (size b + tb b) + size a * tb b
            + abs1 (t1 a) * abs2 (t2 b) + abs2 (t2 a) * abs1 (t1 b) + abs2 (t2 a) * abs2 (t2 b))).

Definition Tops : Ops tm := mkOps tm tm_add tm_mul tm_opp tm_cst.

(** Parameter i at θ_i + h_i. *)
Definition unit (i : nat) : list Q := repeat 0%Q i ++ [1%Q].
Definition tm_params (th : list Q) : list tm := map (fun ix => TM (fst ix) (unit (snd ix)) [] 0) (combine th (seq 0 (length th))).

Definition small (h : list R) (n : R) : Prop := (0 <= n <= 1)%R /\ Forall (fun x => Rabs x <= n)%R h.
Definition tm_rel (h : list R) (n : R) (a : tm) (x : R) : Prop :=
  (Rabs (x - tm_eval a h) <= Q2R (tb a) * n ^ 3)%R.

(** θ + h, entrywise. *)
Definition shift (th : list Q) (h : list R) : list R := map (fun p => (Q2R (fst p) + snd p)%R) (combine th h).

Lemma loss_T : forall pb th h n, small h n -> length h = length th ->
  tm_rel h n (loss Tops pb (tm_params th)) (L pb (shift th h)).
Admitted.

(** Facts about the evaluation used by the checkers. *)
Lemma dotQR_bound : forall g h n, small h n -> (Rabs (dotQR g h) <= Q2R (abs1 g) * n)%R.
Admitted.
Lemma quad_bound : forall A h n, small h n -> (Rabs (quad A h) <= Q2R (abs2 A) * n ^ 2)%R.
Admitted.
Lemma dotQR_scale : forall g h t, dotQR g (map (Rmult t) h) = (t * dotQR g h)%R.
Admitted.
Lemma quad_scale : forall A h t, quad A (map (Rmult t) h) = (t ^ 2 * quad A h)%R.
Admitted.
Lemma quad_madd : forall A B h, quad (madd A B) h = (quad A h + quad B h)%R.
Admitted.
Lemma quad_mscale : forall c A h, quad (mscale c A) h = (Q2R c * quad A h)%R.
Admitted.
Lemma quad_outer : forall u v h, quad (outer u v) h = (dotQR u h * dotQR v h)%R.
Admitted.
Lemma tb_nonneg : forall pb th, (0 <= Q2R (tb (loss Tops pb (tm_params th))))%R.
Admitted.

(** All-zero vectors and matrices evaluate to 0. *)
Definition vzero (u : list Q) : bool := forallb (fun a => Qeq_bool a 0) u.
Definition mzero (A : list (list Q)) : bool := forallb vzero A.
Lemma dotQR_zero : forall g h, vzero g = true -> dotQR g h = 0%R.
Admitted.
Lemma quad_zero : forall A h, mzero A = true -> quad A h = 0%R.
Admitted.
