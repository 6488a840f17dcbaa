(** * Univariate polynomials over Q, evaluated at real t; the loss along a polynomial curve.

    A polynomial is its coefficient list, lowest degree first: [c_0; c_1; …] is Σ_k c_k t^k.
    [loss Pops pb curve] is f(t) = L(θ(t)) for the curve θ_i(t) = Σ_k curve_i[k] t^k ([loss_P]).
    [lowest_term] finds the lowest non-zero non-constant term a_k t^k; [lowest_sign] says that near t = 0,
    f(t) − f(0) is a_k t^k up to half of itself. *)
From Coq Require Import List QArith Qabs Qreals Reals Lra.
From Spurious Require Import Loss.
Import ListNotations.

Definition poly := list Q.

Fixpoint peval (p : poly) (t : R) : R :=
  match p with [] => 0%R | c :: p' => (Q2R c + t * peval p' t)%R end.

Fixpoint padd (p q : poly) : poly :=
  match p, q with
  | [], _ => q
  | _, [] => p
  | a :: p', b :: q' => Qred (a + b) :: padd p' q'
  end.

Definition pscale (c : Q) (p : poly) : poly := map (fun a => Qred (c * a)) p.

Fixpoint pmul (p q : poly) : poly :=
  match p with [] => [] | a :: p' => padd (pscale a q) (0%Q :: pmul p' q) end.

Definition popp (p : poly) : poly := map Qopp p.

Definition Pops : Ops poly := mkOps poly padd pmul popp (fun q => [q]).

Lemma Q2R_0 : Q2R 0 = 0%R.
Proof. unfold Q2R; simpl; apply Rmult_0_l. Qed.

Lemma Q2R_Qred : forall q, Q2R (Qred q) = Q2R q.
Proof. intros q; apply Qeq_eqR, Qred_correct. Qed.

Lemma peval_add : forall p q t, peval (padd p q) t = (peval p t + peval q t)%R.
Proof.
  induction p as [|a p IH]; intros [|b q] t; cbn [padd peval].
  - ring.
  - ring.
  - ring.
  - rewrite Q2R_Qred, Q2R_plus, IH; ring.
Qed.
Lemma peval_scale : forall c p t, peval (pscale c p) t = (Q2R c * peval p t)%R.
Proof.
  intros c p t; unfold pscale; induction p as [|a p IH]; cbn [map peval].
  - ring.
  - rewrite IH, Q2R_Qred, Q2R_mult; ring.
Qed.
Lemma peval_mul : forall p q t, peval (pmul p q) t = (peval p t * peval q t)%R.
Proof.
  induction p as [|a p IH]; intros q t; cbn [pmul peval].
  - ring.
  - rewrite peval_add, peval_scale; cbn [peval]; rewrite IH, Q2R_0; ring.
Qed.
Lemma peval_opp : forall p t, peval (popp p) t = (- peval p t)%R.
Proof.
  intros p t; unfold popp; induction p as [|a p IH]; simpl.
  - ring.
  - rewrite IH, Q2R_opp; ring.
Qed.

(** The loss along a curve: parameter i follows the polynomial [nth i curve []]. *)
Lemma loss_P : forall pb curve t,
  peval (loss Pops pb curve) t = L pb (map (fun c => peval c t) curve).
Proof.
  intros pb curve t.
  apply (loss_rel Pops (fun p x => peval p t = x)).
  - intros a b x y Ha Hb; simpl; rewrite peval_add, Ha, Hb; reflexivity.
  - intros a b x y Ha Hb; simpl; rewrite peval_mul, Ha, Hb; reflexivity.
  - intros a x Ha; simpl; rewrite peval_opp, Ha; reflexivity.
  - intros q; simpl; ring.
  - induction curve as [|c curve IH]; simpl; constructor; auto.
Qed.

Fixpoint abssum (p : poly) : Q := match p with [] => 0%Q | c :: p' => Qabs c + abssum p' end.

Lemma Q2R_Qabs : forall c, Q2R (Qabs c) = Rabs (Q2R c).
Proof.
  intros c; destruct (Qlt_le_dec c 0) as [Hc|Hc].
  - rewrite (Qeq_eqR _ _ (Qabs_neg c (Qlt_le_weak _ _ Hc))), Q2R_opp.
    rewrite Rabs_left1; [reflexivity|].
    rewrite <- Q2R_0; apply Qle_Rle, Qlt_le_weak, Hc.
  - rewrite (Qeq_eqR _ _ (Qabs_pos c Hc)).
    rewrite Rabs_right; [reflexivity|].
    apply Rle_ge; rewrite <- Q2R_0; apply Qle_Rle, Hc.
Qed.

Lemma peval_bound : forall p t, (Rabs t <= 1)%R -> (Rabs (peval p t) <= Q2R (abssum p))%R.
Proof.
  intros p t Ht; induction p as [|c p IH]; simpl.
  - rewrite Q2R_0, Rabs_R0; apply Rle_refl.
  - rewrite Q2R_plus, Q2R_Qabs.
    apply Rle_trans with (Rabs (Q2R c) + Rabs (t * peval p t))%R; [apply Rabs_triang|].
    apply Rplus_le_compat_l. rewrite Rabs_mult.
    assert (H0 : (0 <= Rabs (peval p t))%R) by apply Rabs_pos.
    assert (H1 : (0 <= Rabs t)%R) by apply Rabs_pos.
    apply Rle_trans with (1 * Rabs (peval p t))%R.
    + apply Rmult_le_compat_r; assumption.
    + rewrite Rmult_1_l; exact IH.
Qed.

Lemma peval_0 : forall p, peval p 0 = Q2R (hd 0%Q p).
Proof. intros [|c p]; simpl; [rewrite Q2R_0|]; ring. Qed.

(** The lowest non-zero term of degree ≥ 1: [Some (k, a_k)] with k ≥ 1, a_k ≠ 0, and every c_j = 0 for 0 < j < k. *)
Fixpoint first_nonzero (k : nat) (p : poly) : option (nat * Q) :=
  match p with
  | [] => None
  | c :: p' => if Qeq_bool c 0 then first_nonzero (S k) p' else Some (k, c)
  end.
Definition lowest_term (p : poly) : option (nat * Q) :=
  match p with [] => None | _ :: p' => first_nonzero 1 p' end.

Lemma first_nonzero_spec : forall p k j a, first_nonzero k p = Some (j, a) ->
  exists zs r, p = zs ++ a :: r /\ j = (k + length zs)%nat /\ Forall (fun z => z == 0)%Q zs /\ ~ (a == 0)%Q.
Proof.
  induction p as [|c p IH]; intros k j a H; simpl in H; [discriminate|].
  destruct (Qeq_bool c 0) eqn:Hc.
  - destruct (IH _ _ _ H) as (zs & r & Hp & Hj & Hz & Ha).
    exists (c :: zs), r; simpl; split; [rewrite Hp; reflexivity|].
    split; [rewrite Hj; apply plus_n_Sm|].
    split; [constructor; [apply Qeq_bool_iff; exact Hc | exact Hz] | exact Ha].
  - injection H as Hj Ha. subst j a.
    exists [], p; simpl; split; [reflexivity|].
    split; [apply plus_n_O|].
    split; [constructor | apply Qeq_bool_neq; exact Hc].
Qed.

Lemma lowest_term_spec : forall p k a, lowest_term p = Some (k, a) -> (1 <= k)%nat /\ ~ (a == 0)%Q.
Proof.
  intros [|c p] k a H; simpl in H; [discriminate|].
  destruct (first_nonzero_spec _ _ _ _ H) as (zs & r & _ & Hj & _ & Ha).
  split; [rewrite Hj; apply Nat.le_add_r | exact Ha].
Qed.

Lemma lowest_sign : forall p k a, lowest_term p = Some (k, a) ->
  exists delta, (0 < delta)%R /\ forall t, (0 < Rabs t < delta)%R ->
    (Rabs (peval p t - peval p 0 - Q2R a * t ^ k) <= Rabs (Q2R a * t ^ k) / 2)%R.
Proof.
  intros [|c p] k a H; simpl in H; [discriminate|].
  destruct (first_nonzero_spec _ _ _ _ H) as (zs & r & Hp & Hj & Hz & Ha).
  assert (Hev : forall t, peval (c :: p) t = (Q2R c + t ^ k * (Q2R a + t * peval r t))%R).
  { intros t; simpl; rewrite Hp, Hj; simpl. f_equal.
    clear Hp Hj Ha H. induction Hz as [|z zs Hz0 Hzs IHz]; simpl.
    - ring.
    - rewrite IHz, (Qeq_eqR _ _ Hz0), Q2R_0; ring. }
  assert (HA : (0 < Rabs (Q2R a))%R).
  { apply Rabs_pos_lt. intros E. apply Ha, eqR_Qeq. rewrite E, Q2R_0; reflexivity. }
  set (S := Q2R (abssum r)).
  assert (HS : (0 <= S)%R).
  { apply Rle_trans with (Rabs (peval r 0)); [apply Rabs_pos|].
    apply peval_bound. rewrite Rabs_R0; lra. }
  exists (Rmin 1 (Rabs (Q2R a) / (2 * (S + 1)))).
  split.
  { apply Rmin_glb_lt; [lra|]. apply Rdiv_lt_0_compat; lra. }
  intros t [Ht0 Ht].
  assert (Ht1 : (Rabs t <= 1)%R) by (apply Rlt_le, Rlt_le_trans with (1 := Ht), Rmin_l).
  assert (Ht2 : (Rabs t < Rabs (Q2R a) / (2 * (S + 1)))%R)
    by (apply Rlt_le_trans with (1 := Ht), Rmin_r).
  assert (Hb : (Rabs (peval r t) <= S)%R) by (apply peval_bound; exact Ht1).
  assert (Hmain : (Rabs t * Rabs (peval r t) <= Rabs (Q2R a) / 2)%R).
  { apply Rle_trans with (Rabs t * (S + 1))%R.
    - apply Rmult_le_compat_l; [apply Rabs_pos | lra].
    - apply Rle_trans with (Rabs (Q2R a) / (2 * (S + 1)) * (S + 1))%R.
      + apply Rmult_le_compat_r; lra.
      + right; field; lra. }
  rewrite (Hev t), peval_0; simpl hd.
  replace (Q2R c + t ^ k * (Q2R a + t * peval r t) - Q2R c - Q2R a * t ^ k)%R
    with (t ^ k * (t * peval r t))%R by ring.
  rewrite !Rabs_mult.
  assert (HP : (0 <= Rabs (t ^ k))%R) by apply Rabs_pos.
  apply Rle_trans with (Rabs (t ^ k) * (Rabs (Q2R a) / 2))%R.
  - apply Rmult_le_compat_l; assumption.
  - right; unfold Rdiv; ring.
Qed.
