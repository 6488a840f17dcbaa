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

Fixpoint abs1 (u : list Q) : Q := match u with [] => 0%Q | a :: u' => Qred (Qabs a + abs1 u') end.
Fixpoint abs2 (A : list (list Q)) : Q := match A with [] => 0%Q | r :: A' => Qred (abs1 r + abs2 A') end.
Definition size (a : tm) : Q := Qred (Qabs (t0 a) + abs1 (t1 a) + abs2 (t2 a)).

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

(** A constant factor (no gradient, no quadratic part, no remainder) only scales the other one. *)
Definition is_cst (a : tm) : bool :=
  match t1 a, t2 a with [], [] => Qeq_bool (tb a) 0 | _, _ => false end.
Definition tm_scale (c : Q) (b : tm) : tm :=
  TM (Qred (c * t0 b)) (vscale c (t1 b)) (mscale c (t2 b)) (Qred (Qabs c * tb b)).
Definition tm_mul' (a b : tm) : tm :=
  if is_cst a then tm_scale (t0 a) b else if is_cst b then tm_scale (t0 b) a else tm_mul a b.

Definition Tops : Ops tm := mkOps tm tm_add tm_mul' tm_opp tm_cst.

(** Parameter i at θ_i + h_i. *)
Definition unit (i : nat) : list Q := repeat 0%Q i ++ [1%Q].
Definition tm_params (th : list Q) : list tm := map (fun ix => TM (fst ix) (unit (snd ix)) [] 0) (combine th (seq 0 (length th))).

Definition small (h : list R) (n : R) : Prop := (0 <= n <= 1)%R /\ Forall (fun x => Rabs x <= n)%R h.
Definition tm_rel (h : list R) (n : R) (a : tm) (x : R) : Prop :=
  (Rabs (x - tm_eval a h) <= Q2R (tb a) * n ^ 3)%R.

(** θ + h, entrywise. *)
Definition shift (th : list Q) (h : list R) : list R := map (fun p => (Q2R (fst p) + snd p)%R) (combine th h).

(** ** Helper lemmas. *)
Lemma TQ2R_0 : Q2R 0 = 0%R.
Proof. unfold Q2R; simpl; ring. Qed.
Lemma TQ2R_1 : Q2R 1 = 1%R.
Proof. unfold Q2R; simpl; field. Qed.
Lemma TQ2R_m1 : Q2R (-1) = (-1)%R.
Proof. unfold Q2R; simpl; field. Qed.
Lemma TQ2R_half : Q2R (1 # 2) = (/ 2)%R.
Proof. unfold Q2R; simpl; field. Qed.
Lemma Q2R_Qred : forall x, Q2R (Qred x) = Q2R x.
Proof. intros x; apply Qeq_eqR, Qred_correct. Qed.
Lemma Q2R_Qabs : forall c, Q2R (Qabs c) = Rabs (Q2R c).
Proof.
  intros c. destruct (Qlt_le_dec c 0) as [Hc|Hc].
  - rewrite (Qeq_eqR _ _ (Qabs_neg c (Qlt_le_weak _ _ Hc))), Q2R_opp.
    apply Qlt_Rlt in Hc. rewrite TQ2R_0 in Hc. rewrite Rabs_left; auto.
  - rewrite (Qeq_eqR _ _ (Qabs_pos c Hc)).
    apply Qle_Rle in Hc. rewrite TQ2R_0 in Hc. rewrite Rabs_right; lra.
Qed.
Lemma abs1_cons : forall a u, Q2R (abs1 (a :: u)) = (Rabs (Q2R a) + Q2R (abs1 u))%R.
Proof.
  intros a u; change (abs1 (a :: u)) with (Qred (Qabs a + abs1 u)).
  rewrite Q2R_Qred, Q2R_plus, Q2R_Qabs; reflexivity.
Qed.
Lemma abs2_cons : forall r A, Q2R (abs2 (r :: A)) = (Q2R (abs1 r) + Q2R (abs2 A))%R.
Proof.
  intros r A; change (abs2 (r :: A)) with (Qred (abs1 r + abs2 A)). rewrite Q2R_Qred, Q2R_plus; reflexivity.
Qed.
Lemma abs1_nonneg : forall u, (0 <= Q2R (abs1 u))%R.
Proof.
  induction u as [|a u IH]; [simpl; rewrite TQ2R_0; lra|].
  rewrite abs1_cons. generalize (Rabs_pos (Q2R a)); lra.
Qed.
Lemma abs2_nonneg : forall A, (0 <= Q2R (abs2 A))%R.
Proof.
  induction A as [|r A IH]; [simpl; rewrite TQ2R_0; lra|].
  rewrite abs2_cons. generalize (abs1_nonneg r); lra.
Qed.
Lemma size_eq : forall a, Q2R (size a) = (Rabs (Q2R (t0 a)) + Q2R (abs1 (t1 a)) + Q2R (abs2 (t2 a)))%R.
Proof. intros a; unfold size; rewrite Q2R_Qred, !Q2R_plus, Q2R_Qabs; reflexivity. Qed.

Definition qd (A : list (list Q)) (k h : list R) : R := dotRR (map (fun r => dotQR r k) A) h.

Lemma dotQR_vadd : forall u v h, dotQR (vadd u v) h = (dotQR u h + dotQR v h)%R.
Proof.
  induction u as [|a u IH]; intros v h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|].
  destruct v as [|b v]; cbn [vadd madd vscale mscale outer map dotQR dotRR].
  - destruct h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; ring.
  - destruct h as [|x h]; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|]. rewrite IH, Q2R_Qred, Q2R_plus; ring.
Qed.
Lemma dotQR_vscale : forall c u h, dotQR (vscale c u) h = (Q2R c * dotQR u h)%R.
Proof.
  intros c; induction u as [|a u IH]; intros h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|].
  destruct h as [|x h]; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|]. rewrite IH, Q2R_Qred, Q2R_mult; ring.
Qed.
Lemma qd_madd : forall A B k h, qd (madd A B) k h = (qd A k h + qd B k h)%R.
Proof.
  unfold qd; induction A as [|r A IH]; intros B k h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|].
  destruct B as [|s B]; cbn [vadd madd vscale mscale outer map dotQR dotRR].
  - destruct h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; ring.
  - destruct h as [|x h]; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|]. rewrite IH, dotQR_vadd; ring.
Qed.
Lemma qd_mscale : forall c A k h, qd (mscale c A) k h = (Q2R c * qd A k h)%R.
Proof.
  unfold qd, mscale; intros c; induction A as [|r A IH]; intros k h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|].
  destruct h as [|x h]; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|]. rewrite IH, dotQR_vscale; ring.
Qed.
Lemma qd_outer : forall u v k h, qd (outer u v) k h = (dotQR u h * dotQR v k)%R.
Proof.
  unfold qd, outer; induction u as [|a u IH]; intros v k h; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|].
  destruct h as [|x h]; cbn [vadd madd vscale mscale outer map dotQR dotRR]; [ring|]. rewrite IH, dotQR_vscale; ring.
Qed.
Lemma quad_qd : forall A h, quad A h = qd A h h.
Proof. reflexivity. Qed.

Lemma small_cons : forall x h n, small (x :: h) n -> (Rabs x <= n)%R /\ small h n.
Proof. intros x h n [Hn HF]; inversion HF; subst; split; [|split]; auto. Qed.

Lemma dotQR_bound' : forall g h n, small h n -> (Rabs (dotQR g h) <= Q2R (abs1 g) * n)%R.
Proof.
  induction g as [|a g IH]; intros h n Hs.
  - simpl; rewrite TQ2R_0, Rabs_R0; lra.
  - assert (Hn : (0 <= n)%R) by apply Hs.
    destruct h as [|x h]; cbn [dotQR qd map dotRR].
    + rewrite Rabs_R0. apply Rmult_le_pos; [|lra].
      rewrite abs1_cons. generalize (Rabs_pos (Q2R a)) (abs1_nonneg g); lra.
    + apply small_cons in Hs as [Hx Hs].
      specialize (IH h n Hs). rewrite abs1_cons.
      eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult.
      assert (Rabs (Q2R a) * Rabs x <= Rabs (Q2R a) * n)%R
        by (apply Rmult_le_compat_l; [apply Rabs_pos | auto]).
      lra.
Qed.

Lemma qd_bound : forall A k h n, small k n -> small h n ->
  (Rabs (qd A k h) <= Q2R (abs2 A) * (n * n))%R.
Proof.
  unfold qd; induction A as [|r A IH]; intros k h n Hk Hs.
  - simpl; rewrite TQ2R_0, Rabs_R0; lra.
  - assert (Hn : (0 <= n)%R) by apply Hs.
    destruct h as [|x h]; cbn [dotQR qd map dotRR].
    + rewrite Rabs_R0. apply Rmult_le_pos; [|nra].
      rewrite abs2_cons. generalize (abs1_nonneg r) (abs2_nonneg A); lra.
    + apply small_cons in Hs as [Hx Hs].
      specialize (IH k h n Hk Hs). rewrite abs2_cons.
      eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult.
      assert (H1 := dotQR_bound' r k n Hk).
      assert (Rabs (dotQR r k) * Rabs x <= Q2R (abs1 r) * n * n)%R
        by (apply Rmult_le_compat; auto using Rabs_pos).
      lra.
Qed.

Lemma tm_eval_size : forall a h n, small h n -> (Rabs (tm_eval a h) <= Q2R (size a))%R.
Proof.
  intros a h n Hs. assert (Hn : (0 <= n <= 1)%R) by apply Hs.
  unfold tm_eval. rewrite size_eq, quad_qd.
  assert (H1 := dotQR_bound' (t1 a) h n Hs).
  assert (H2 := qd_bound (t2 a) h h n Hs Hs).
  assert (P1 := abs1_nonneg (t1 a)). assert (P2 := abs2_nonneg (t2 a)).
  assert (Q2R (abs1 (t1 a)) * n <= Q2R (abs1 (t1 a)))%R by nra.
  assert (Q2R (abs2 (t2 a)) * (n * n) <= Q2R (abs2 (t2 a)))%R.
  { assert (n * n <= 1)%R by nra. nra. }
  eapply Rle_trans; [apply Rabs_triang|].
  assert (Rabs (Q2R (t0 a) + dotQR (t1 a) h) <= Rabs (Q2R (t0 a)) + Rabs (dotQR (t1 a) h))%R
    by apply Rabs_triang.
  lra.
Qed.

(** The operations preserve the relation. *)
Definition trel (h : list R) (n : R) (a : tm) (x : R) : Prop := tm_rel h n a x /\ (0 <= Q2R (tb a))%R.

Lemma trel_add : forall h n a b x y, trel h n a x -> trel h n b y -> trel h n (tm_add a b) (x + y).
Proof.
  intros h n a b x y [Ha Pa] [Hb Pb]. unfold trel, tm_rel in *. unfold tm_add, tm_eval in *; cbn [t0 t1 t2 tb].
  rewrite !Q2R_Qred, !Q2R_plus, dotQR_vadd, !quad_qd, qd_madd. rewrite !quad_qd in *.
  split; [|lra].
  replace (x + y - (Q2R (t0 a) + Q2R (t0 b) + (dotQR (t1 a) h + dotQR (t1 b) h) +
     (qd (t2 a) h h + qd (t2 b) h h)))%R
    with ((x - (Q2R (t0 a) + dotQR (t1 a) h + qd (t2 a) h h)) +
          (y - (Q2R (t0 b) + dotQR (t1 b) h + qd (t2 b) h h)))%R by ring.
  eapply Rle_trans; [apply Rabs_triang|]. lra.
Qed.

Lemma trel_opp : forall h n a x, trel h n a x -> trel h n (tm_opp a) (- x).
Proof.
  intros h n a x [Ha Pa]. unfold trel, tm_rel in *. unfold tm_opp, tm_eval in *; cbn [t0 t1 t2 tb].
  rewrite Q2R_opp, dotQR_vscale, quad_qd, qd_mscale, TQ2R_m1. rewrite quad_qd in *.
  split; [|lra].
  replace (- x - (- Q2R (t0 a) + -1 * dotQR (t1 a) h + -1 * qd (t2 a) h h))%R
    with (- (x - (Q2R (t0 a) + dotQR (t1 a) h + qd (t2 a) h h)))%R by ring.
  rewrite Rabs_Ropp; lra.
Qed.

Lemma trel_cst : forall h n q, trel h n (tm_cst q) (Q2R q).
Proof.
  intros h n q. unfold trel, tm_rel, tm_cst, tm_eval, quad; simpl.
  rewrite TQ2R_0. split; [|lra].
  replace (Q2R q - (Q2R q + 0 + 0))%R with 0%R by ring. rewrite Rabs_R0; lra.
Qed.

Lemma trel_mul : forall h n a b x y, small h n -> trel h n a x -> trel h n b y ->
  trel h n (tm_mul a b) (x * y).
Proof.
  intros h n a b x y Hs [Ha Pa] [Hb Pb]. assert (Hn : (0 <= n <= 1)%R) by apply Hs.
  unfold trel, tm_rel in *.
  assert (Sa := tm_eval_size a h n Hs). assert (Sb := tm_eval_size b h n Hs).
  assert (P1a := abs1_nonneg (t1 a)). assert (P2a := abs2_nonneg (t2 a)).
  assert (P1b := abs1_nonneg (t1 b)). assert (P2b := abs2_nonneg (t2 b)).
  assert (PSa : (0 <= Q2R (size a))%R) by (eapply Rle_trans; [apply Rabs_pos | apply Sa]).
  assert (PSb : (0 <= Q2R (size b))%R) by (eapply Rle_trans; [apply Rabs_pos | apply Sb]).
  assert (B1a := dotQR_bound' (t1 a) h n Hs). assert (B1b := dotQR_bound' (t1 b) h n Hs).
  assert (B2a := qd_bound (t2 a) h h n Hs Hs). assert (B2b := qd_bound (t2 b) h h n Hs Hs).
  assert (Etb : Q2R (tb (tm_mul a b)) =
    (Q2R (tb a) * (Q2R (size b) + Q2R (tb b)) + Q2R (size a) * Q2R (tb b)
     + Q2R (abs1 (t1 a)) * Q2R (abs2 (t2 b)) + Q2R (abs2 (t2 a)) * Q2R (abs1 (t1 b))
     + Q2R (abs2 (t2 a)) * Q2R (abs2 (t2 b)))%R).
  { unfold tm_mul; cbn [t0 t1 t2 tb]. rewrite Q2R_Qred, !Q2R_plus, !Q2R_mult, Q2R_plus. reflexivity. }
  rewrite Etb. clear Etb.
  set (Ea := tm_eval a h) in *. set (Eb := tm_eval b h) in *.
  set (A1 := dotQR (t1 a) h) in *. set (B1 := dotQR (t1 b) h) in *.
  set (A2 := qd (t2 a) h h) in *. set (B2 := qd (t2 b) h h) in *.
  assert (HE : tm_eval (tm_mul a b) h = (Ea * Eb - (A1 * B2 + A2 * B1 + A2 * B2))%R).
  { unfold Ea, Eb, tm_eval, tm_mul; cbn [t0 t1 t2 tb].
    rewrite Q2R_Qred, Q2R_mult, dotQR_vadd, !dotQR_vscale, !quad_qd, !qd_madd, !qd_mscale,
      qd_madd, !qd_outer, TQ2R_half.
    fold A1 A2 B1 B2. field. }
  rewrite HE. clear HE.
  set (ra := (x - Ea)%R) in *. set (rb := (y - Eb)%R) in *.
  assert (Hn3 : (0 <= n ^ 3 <= 1)%R).
  { split; [apply pow_le; lra|]. replace 1%R with (1 ^ 3)%R by ring. apply pow_incr; lra. }
  assert (Hy : (Rabs y <= Q2R (size b) + Q2R (tb b))%R).
  { replace y with (Eb + rb)%R by (unfold rb; ring).
    eapply Rle_trans; [apply Rabs_triang|]. nra. }
  assert (T1 : (Rabs (ra * y) <= Q2R (tb a) * n ^ 3 * (Q2R (size b) + Q2R (tb b)))%R).
  { rewrite Rabs_mult. apply Rmult_le_compat; auto using Rabs_pos. }
  assert (T2 : (Rabs (Ea * rb) <= Q2R (size a) * (Q2R (tb b) * n ^ 3))%R).
  { rewrite Rabs_mult. apply Rmult_le_compat; auto using Rabs_pos. }
  assert (T3 : (Rabs (A1 * B2) <= Q2R (abs1 (t1 a)) * n * (Q2R (abs2 (t2 b)) * (n * n)))%R).
  { rewrite Rabs_mult. apply Rmult_le_compat; auto using Rabs_pos. }
  assert (T4 : (Rabs (A2 * B1) <= Q2R (abs2 (t2 a)) * (n * n) * (Q2R (abs1 (t1 b)) * n))%R).
  { rewrite Rabs_mult. apply Rmult_le_compat; auto using Rabs_pos. }
  assert (T5 : (Rabs (A2 * B2) <= Q2R (abs2 (t2 a)) * (n * n) * (Q2R (abs2 (t2 b)) * (n * n)))%R).
  { rewrite Rabs_mult. apply Rmult_le_compat; auto using Rabs_pos. }
  assert (N4 : (n * n * (n * n) <= n ^ 3)%R).
  { simpl. assert (0 <= n * n * n)%R by (apply Rmult_le_pos; [apply Rmult_le_pos|]; lra). nra. }
  assert (T5' : (Q2R (abs2 (t2 a)) * (n * n) * (Q2R (abs2 (t2 b)) * (n * n))
                 <= Q2R (abs2 (t2 a)) * Q2R (abs2 (t2 b)) * n ^ 3)%R).
  { replace (Q2R (abs2 (t2 a)) * (n * n) * (Q2R (abs2 (t2 b)) * (n * n)))%R
      with (Q2R (abs2 (t2 a)) * Q2R (abs2 (t2 b)) * (n * n * (n * n)))%R by ring.
    apply Rmult_le_compat_l; [apply Rmult_le_pos|]; auto. }
  split.
  - replace (x * y - (Ea * Eb - (A1 * B2 + A2 * B1 + A2 * B2)))%R
      with (ra * y + Ea * rb + (A1 * B2 + A2 * B1 + A2 * B2))%R by (unfold ra, rb; ring).
    assert (R1 : (Rabs (ra * y + Ea * rb + (A1 * B2 + A2 * B1 + A2 * B2)) <=
      Rabs (ra * y) + Rabs (Ea * rb) + (Rabs (A1 * B2) + Rabs (A2 * B1) + Rabs (A2 * B2)))%R).
    { eapply Rle_trans; [apply Rabs_triang|].
      eapply Rle_trans; [apply Rplus_le_compat; [apply Rabs_triang | apply Rabs_triang]|].
      eapply Rle_trans; [apply Rplus_le_compat_l, Rplus_le_compat_r, Rabs_triang|]. lra. }
    eapply Rle_trans; [apply R1|].
    replace (n ^ 3)%R with (n * (n * n))%R in * by ring.
    nra.
  - apply Rplus_le_le_0_compat; [apply Rplus_le_le_0_compat; [apply Rplus_le_le_0_compat;
      [apply Rplus_le_le_0_compat|]|]|]; apply Rmult_le_pos; auto; lra.
Qed.

Lemma trel_scale : forall h n a b x y, small h n -> is_cst a = true -> trel h n a x -> trel h n b y ->
  trel h n (tm_scale (t0 a) b) (x * y).
Proof.
  intros h n a b x y Hs Hc [Ha _] [Hb Pb]. unfold is_cst in Hc.
  destruct (t1 a) eqn:E1; [|discriminate]. destruct (t2 a) eqn:E2; [|discriminate].
  assert (Hn : (0 <= n)%R) by apply Hs.
  assert (Ht : Q2R (tb a) = 0%R) by (rewrite (Qeq_eqR _ _ (Qeq_bool_eq _ _ Hc)); apply TQ2R_0).
  unfold tm_rel, tm_eval in Ha. rewrite E1, E2, Ht in Ha.
  assert (Hx : x = Q2R (t0 a)).
  { replace (dotQR [] h) with 0%R in Ha by (destruct h; reflexivity).
    replace (quad [] h) with 0%R in Ha by (destruct h; reflexivity).
    rewrite Rmult_0_l in Ha. pose proof (Rabs_pos (x - (Q2R (t0 a) + 0 + 0))).
    destruct (Req_dec (x - (Q2R (t0 a) + 0 + 0)) 0) as [E|E]; [lra|].
    apply Rabs_no_R0 in E. lra. }
  subst x. unfold trel, tm_rel, tm_scale, tm_eval in *; cbn [t0 t1 t2 tb] in *.
  rewrite !Q2R_Qred, Q2R_mult, Q2R_mult, Q2R_Qabs, dotQR_vscale, quad_qd, qd_mscale, <- quad_qd.
  split; [|apply Rmult_le_pos; [apply Rabs_pos | auto]].
  replace (Q2R (t0 a) * y - (Q2R (t0 a) * Q2R (t0 b) + Q2R (t0 a) * dotQR (t1 b) h + Q2R (t0 a) * quad (t2 b) h))%R
    with (Q2R (t0 a) * (y - (Q2R (t0 b) + dotQR (t1 b) h + quad (t2 b) h)))%R by ring.
  rewrite Rabs_mult, Rmult_assoc. apply Rmult_le_compat_l; [apply Rabs_pos | auto].
Qed.

Lemma trel_mul' : forall h n a b x y, small h n -> trel h n a x -> trel h n b y ->
  trel h n (tm_mul' a b) (x * y).
Proof.
  intros h n a b x y Hs Ha Hb. unfold tm_mul'.
  destruct (is_cst a) eqn:Ca; [apply trel_scale; auto|].
  destruct (is_cst b) eqn:Cb; [rewrite Rmult_comm; apply trel_scale; auto|].
  apply trel_mul; auto.
Qed.

Lemma dotQR_unit : forall pre x r, dotQR (unit (length pre)) (pre ++ x :: r) = x.
Proof.
  unfold unit; induction pre as [|y pre IH]; intros x r; simpl.
  - rewrite TQ2R_1; ring.
  - rewrite IH, TQ2R_0; ring.
Qed.

Lemma params_rel : forall n th pre hs, length hs = length th ->
  Forall2 (trel (pre ++ hs) n)
    (map (fun ix => TM (fst ix) (unit (snd ix)) [] 0) (combine th (seq (length pre) (length th))))
    (map (fun p => (Q2R (fst p) + snd p)%R) (combine th hs)).
Proof.
  intros n; induction th as [|q th IH]; intros pre hs Hl; simpl; [constructor|].
  destruct hs as [|x hs]; [discriminate|]. simpl. injection Hl as Hl.
  constructor.
  - unfold trel, tm_rel, tm_eval; simpl. rewrite dotQR_unit, TQ2R_0. unfold quad; simpl.
    split; [|lra].
    replace (Q2R q + x - (Q2R q + x + 0))%R with 0%R by ring. rewrite Rabs_R0; lra.
  - specialize (IH (pre ++ [x]) hs Hl). rewrite <- app_assoc in IH. simpl in IH.
    rewrite app_length in IH. simpl in IH. rewrite Nat.add_1_r in IH. exact IH.
Qed.

Lemma loss_trel : forall pb th h n, small h n -> length h = length th ->
  trel h n (loss Tops pb (tm_params th)) (L pb (shift th h)).
Proof.
  intros pb th h n Hs Hl.
  apply (loss_rel Tops (trel h n)).
  - intros a b x y Ha Hb. apply trel_add; auto.
  - intros a b x y Ha Hb. apply trel_mul'; auto.
  - intros a x Ha. apply trel_opp; auto.
  - intros q. apply trel_cst.
  - unfold tm_params, shift. apply (params_rel n th [] h Hl).
Qed.

Lemma loss_T : forall pb th h n, small h n -> length h = length th ->
  tm_rel h n (loss Tops pb (tm_params th)) (L pb (shift th h)).
Proof.
  intros pb th h n Hs Hl. apply (loss_trel pb th h n Hs Hl).
Qed.

(** Facts about the evaluation used by the checkers. *)
Lemma dotQR_bound : forall g h n, small h n -> (Rabs (dotQR g h) <= Q2R (abs1 g) * n)%R.
Proof. apply dotQR_bound'. Qed.
Lemma quad_bound : forall A h n, small h n -> (Rabs (quad A h) <= Q2R (abs2 A) * n ^ 2)%R.
Proof.
  intros A h n Hs. rewrite quad_qd. replace (n ^ 2)%R with (n * n)%R by ring.
  apply qd_bound; auto.
Qed.
Lemma dotQR_scale : forall g h t, dotQR g (map (Rmult t) h) = (t * dotQR g h)%R.
Proof.
  induction g as [|a g IH]; intros h t; simpl; [ring|].
  destruct h as [|x h]; simpl; [ring|]. rewrite IH; ring.
Qed.
Lemma quad_scale : forall A h t, quad A (map (Rmult t) h) = (t ^ 2 * quad A h)%R.
Proof.
  intros A h t. rewrite !quad_qd. unfold qd.
  generalize h at 1 3; intros k. revert h.
  induction A as [|r A IH]; intros h; simpl; [ring|].
  destruct h as [|x h]; simpl; [ring|]. rewrite IH, dotQR_scale; ring.
Qed.
Lemma quad_madd : forall A B h, quad (madd A B) h = (quad A h + quad B h)%R.
Proof. intros; rewrite !quad_qd; apply qd_madd. Qed.
Lemma quad_mscale : forall c A h, quad (mscale c A) h = (Q2R c * quad A h)%R.
Proof. intros; rewrite !quad_qd; apply qd_mscale. Qed.
Lemma quad_outer : forall u v h, quad (outer u v) h = (dotQR u h * dotQR v h)%R.
Proof. intros; rewrite !quad_qd; apply qd_outer. Qed.
Lemma tb_nonneg : forall pb th, (0 <= Q2R (tb (loss Tops pb (tm_params th))))%R.
Proof.
  intros pb th. set (h := map (fun _ => 0%R) th).
  assert (Hs : small h 0) by (split; [lra | apply Forall_forall; intros x Hx; unfold h in Hx;
    apply in_map_iff in Hx as [y [<- _]]; rewrite Rabs_R0; lra]).
  assert (Hl : length h = length th) by (unfold h; apply map_length).
  apply (loss_trel pb th h 0 Hs Hl).
Qed.

(** All-zero vectors and matrices evaluate to 0. *)
Definition vzero (u : list Q) : bool := forallb (fun a => Qeq_bool a 0) u.
Definition mzero (A : list (list Q)) : bool := forallb vzero A.
Lemma dotQR_zero : forall g h, vzero g = true -> dotQR g h = 0%R.
Proof.
  induction g as [|a g IH]; intros h Hz; simpl; [reflexivity|].
  simpl in Hz. apply andb_prop in Hz as [Ha Hz].
  destruct h as [|x h]; [reflexivity|].
  rewrite IH by exact Hz. apply Qeq_bool_eq, Qeq_eqR in Ha. rewrite Ha, TQ2R_0; ring.
Qed.
Lemma quad_zero : forall A h, mzero A = true -> quad A h = 0%R.
Proof.
  intros A h Hz. rewrite quad_qd. generalize h at 1 as k. generalize h.
  unfold mzero in Hz. unfold qd.
  induction A as [|r A IH]; intros h' k; cbn [map dotRR]; [destruct h'; reflexivity|].
  cbn [forallb] in Hz. apply andb_prop in Hz as [Hr Hz].
  destruct h' as [|x h']; [reflexivity|]. cbn [dotRR].
  rewrite IH by exact Hz. rewrite dotQR_zero by exact Hr. ring.
Qed.
